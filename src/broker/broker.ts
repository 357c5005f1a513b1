import type { ClientSecurity } from '../kafka/security.ts';

/**
 * A configured broker provider and a started broker are different things: only a
 * StartedBroker has addresses, and it is disposable (`await using broker = await start()`).
 */
export type BrokerKind = 'local' | 'container' | 'external' | 'cluster';

export interface StartedBroker extends AsyncDisposable {
  readonly kind: BrokerKind;
  /** host:port list for kafkajs. */
  readonly brokers: string[];
  /** One line for the report, e.g. "Apache Kafka 4.4.0, local JVM (KRaft) on 127.0.0.1:40123". */
  readonly description: string;
  readonly kafkaVersion: string | undefined;
  /** Time from the start request until the broker answered metadata requests. */
  readonly readyMs: number;
  /** True when the harness created this broker and may do anything with it. */
  readonly disposable: boolean;
  /**
   * Runs the teaching settings (group.min.session.timeout.ms=1000) though this run did not
   * start it (`npm run broker`): consumers may use the short teaching session.
   */
  readonly teaching?: boolean;
  /** TLS/SASL for an external cluster (from the environment); undefined for a broker we started. */
  readonly security?: ClientSecurity;
  /** Kills the broker process hard (SIGKILL), keeping its data; only for a broker the harness started. */
  crash?(): Promise<void>;
  /** Starts a crashed broker again on the same data and port; resolves with the time until ready (ms). */
  restart?(): Promise<number>;
  /** The nodes of a multi-broker cluster the harness started (--broker cluster); undefined otherwise. */
  readonly cluster?: ClusterControl;
  stop(): Promise<void>;
}

/** Where a partition's replicas go: replicas[0] is its preferred (first) leader. */
export interface ReplicaAssignment {
  partition: number;
  replicas: number[];
}

/** What faults may do with the nodes of a cluster the harness started. */
export interface ClusterControl {
  readonly nodeIds: readonly number[];
  /** SIGKILL one node's JVM, keeping its data; resolves when its port is closed. */
  killNode(nodeId: number): Promise<void>;
  /** Starts a killed node again on its data and ports; resolves with the time until it answers (ms). */
  restartNode(nodeId: number): Promise<number>;
  /** The node that leads a partition now (from a fresh metadata request), or undefined when it has none. */
  partitionLeader(topic: string, partition: number): Promise<number | undefined>;
  /** The node that coordinates a consumer group now (the leader of its __consumer_offsets partition). */
  groupCoordinator(groupId: string): Promise<number | undefined>;
  /** The in-sync replicas of a partition now. */
  inSyncReplicas(topic: string, partition: number): Promise<number[]>;
  /** Replicas for a new topic of the run: on every node, led by the node that coordinates the groups. */
  topicReplicas(partitions: number): Promise<ReplicaAssignment[]>;
}

export interface BrokerStartOptions {
  /** File that receives the broker's own log (never the user's screen). */
  logPath: string;
  /** Called with short progress texts while the broker starts. */
  onProgress?: (text: string) => void;
  /** Give up when the broker is not ready after this long. */
  readyTimeoutMs?: number;
  /** Ctrl-C during start-up: stop what was started and reject. */
  signal?: AbortSignal;
}

export interface BrokerDescription {
  kind: BrokerKind;
  brokers: string[];
  description: string;
  kafkaVersion: string | undefined;
  readyMs: number;
}

export function describeBroker(broker: StartedBroker): BrokerDescription {
  const { kind, brokers, description, kafkaVersion, readyMs } = broker;
  return { kind, brokers, description, kafkaVersion, readyMs };
}
