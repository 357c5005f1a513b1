/**
 * Broker settings that differ from Kafka's production defaults, chosen for teaching speed.
 * The README lists them with the reason; the container provider uses the same table.
 */
export const teachingBrokerSettings: Record<string, string> = {
  // Default 3000: a new group waits 3 s for more members before the first assignment.
  'group.initial.rebalance.delay.ms': '0',
  // Default 6000: the lower bound lets consumers use a 3 s session, so a SIGKILLed member is
  // declared dead after ~3 s instead of 45 s (the client default).
  'group.min.session.timeout.ms': '1000',
  // Default 9000 / 2000: a broker restarted after a SIGKILL waits until the controller has
  // fenced its previous incarnation, i.e. one broker session (broker-restart scenario).
  'broker.session.timeout.ms': '1500',
  'broker.heartbeat.interval.ms': '500',
  // Single broker: internal topics cannot have 3 replicas.
  'offsets.topic.replication.factor': '1',
  'offsets.topic.num.partitions': '1',
  'transaction.state.log.replication.factor': '1',
  'transaction.state.log.min.isr': '1',
  'transaction.state.log.num.partitions': '1',
  'share.coordinator.state.topic.replication.factor': '1',
  'share.coordinator.state.topic.min.isr': '1',
  // Topics are created explicitly by the harness.
  'auto.create.topics.enable': 'false',
  'num.partitions': '1',
};
