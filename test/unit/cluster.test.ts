import { describe, expect, test } from 'vitest';
import { findScenario } from '../../scenarios/index.ts';
import type { ClusterControl, StartedBroker } from '../../src/broker/broker.ts';
import { javaStringHash, offsetsPartitionFor, replicasLedBy } from '../../src/broker/cluster-metadata.ts';
import { chooseBrokerKind } from '../../src/broker/choose.ts';
import { unmetBrokerNeed } from '../../src/cli/broker-needs.ts';
import type { Trigger } from '../../src/consumer/protocol.ts';
import type { FaultTarget, LiveContext } from '../../src/faults/fault.ts';
import { leaderFailover } from '../../src/faults/leader-failover.ts';

describe('where a group lives on a cluster', () => {
  test("Java's String.hashCode and Kafka's partitionFor (abs of MIN_VALUE is 0)", () => {
    expect(javaStringHash('')).toBe(0);
    expect(javaStringHash('hello')).toBe(99162322);
    expect(javaStringHash('polygenelubricants')).toBe(-2147483648);
    expect(offsetsPartitionFor('polygenelubricants', 50)).toBe(0);
    expect(offsetsPartitionFor('hello', 50)).toBe(99162322 % 50);
    expect(offsetsPartitionFor('anything', 1)).toBe(0);
  });
  test('a run topic is on every node, led by the given node', () => {
    expect(replicasLedBy(2, [1, 2, 3], 2)).toEqual([
      { partition: 0, replicas: [2, 1, 3] },
      { partition: 1, replicas: [2, 1, 3] },
    ]);
  });
});

describe('which brokers can run leader-failover', () => {
  const scenario = findScenario('leader-failover')!;
  test('only the cluster the harness starts; every other kind is refused with its reason', () => {
    expect(scenario.needsCluster).toBe(true);
    expect(unmetBrokerNeed(scenario, 'cluster')).toBeUndefined();
    expect(unmetBrokerNeed(scenario, 'local')?.reason).toMatch(/single node, with no replica to fail over to/);
    expect(unmetBrokerNeed(scenario, 'container')?.reason).toMatch(/container broker is a single node/);
    expect(unmetBrokerNeed(scenario, 'external')).toEqual({ reason: expect.stringMatching(/never kills nodes of a cluster it did not start/), fix: '--broker cluster' });
    expect(unmetBrokerNeed(findScenario('broker-restart')!, 'cluster')?.fix).toBe('--broker local');
    expect(unmetBrokerNeed(findScenario('crash-mid-batch')!, 'cluster')).toBeUndefined();
  });
  test('--broker cluster and KAFKA_BROKER=cluster are accepted', () => {
    expect(chooseBrokerKind('cluster', {})).toBe('cluster');
    expect(chooseBrokerKind(undefined, { KAFKA_BROKER: 'cluster' })).toBe('cluster');
  });
});

/** A cluster whose roles move when a node dies: enough to check the fault's order of work. */
function fakeCluster(leader: number, coordinator: number, calls: string[]): ClusterControl {
  const dead = new Set<number>();
  const alive = (n: number) => (dead.has(n) ? [1, 2, 3].find((m) => !dead.has(m)) : n);
  return {
    nodeIds: [1, 2, 3],
    killNode: async (id) => void (dead.add(id), calls.push(`kill ${id}`)),
    restartNode: async (id) => (dead.delete(id), calls.push(`restart ${id}`), 900),
    partitionLeader: async () => alive(leader),
    groupCoordinator: async () => alive(coordinator),
    inSyncReplicas: async () => [1, 2, 3].filter((n) => !dead.has(n)),
    topicReplicas: async () => [],
  };
}

function live(cluster: ClusterControl | undefined, instances: FaultTarget[], log: string[]): LiveContext {
  return {
    broker: { cluster } as StartedBroker,
    topic: 'kol-t',
    instances,
    proceed: (i, t) => log.push(`proceed ${i} ${t.id}`),
    signal: () => {},
    exited: async () => {},
    finishedItsShare: async () => {},
    note: (d) => log.push(`note: ${d}`),
    fail: (e) => log.push(`fail: ${String(e)}`),
  };
}

const targets: FaultTarget[] = ['a', 'b'].map((name) => ({ name, row: name, groupId: `g-${name}`, choice: { strategy: 'manual-commit' } }));
const hold = (id: string): Trigger => ({ id, point: 'mid-batch', atProcessed: 237, action: 'hold' });

describe('leaderFailover', () => {
  test('when all hold: kills the leader-and-coordinator once, releases the consumers, waits for the failover, restarts it', async () => {
    const calls: string[] = [];
    const log: string[] = [];
    const fault = leaderFailover({ atProcessed: 237, downMs: 1 });
    expect(fault.requires).toEqual({ cluster: true });
    const context = live(fakeCluster(2, 2, calls), targets, log);
    await fault.reached!('a', hold('ta'), context);
    expect(calls).toEqual([]);
    await fault.reached!('b', hold('tb'), context);
    expect(calls).toEqual(['kill 2', 'restart 2']);
    const notes = log.filter((l) => l.startsWith('note'));
    expect(notes[0]).toBe('note: SIGKILL node 2, which leads partition 0 and coordinates the groups, while the consumers run');
    expect(notes[1]).toMatch(/^note: failover after \d+\.\d s: partition 0 is led by node 1, the groups are coordinated by node 1$/);
    expect(log.indexOf('proceed a ta')).toBeLessThan(log.findIndex((l) => l.startsWith('note: failover')));
  });
  test('leader and coordinator on two nodes: one after the other, never two down at once', async () => {
    const calls: string[] = [];
    await leaderFailover({ atProcessed: 1, downMs: 1 }).reached!('a', hold('ta'), live(fakeCluster(1, 3, calls), targets.slice(0, 1), []));
    expect(calls).toEqual(['kill 1', 'restart 1', 'kill 3', 'restart 3']);
  });
  test('without a cluster the run fails, and the consumers are released', async () => {
    const log: string[] = [];
    await leaderFailover({ atProcessed: 1 }).reached!('a', hold('ta'), live(undefined, targets.slice(0, 1), log));
    expect(log).toEqual([expect.stringMatching(/fail: .*needs a cluster the harness started/), 'proceed a ta']);
  });
});
