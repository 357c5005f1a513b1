import type { ClusterControl } from '../broker/broker.ts';
import { sleep, waitFor } from '../util/wait-for.ts';
import type { Fault, LiveContext } from './fault.ts';
import { holdEveryone } from './hold-everyone.ts';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * A node of the cluster dies while the consumers run: every instance holds right after
 * message `atProcessed`; when all hold, the node that leads the topic's partition 0 and the
 * node(s) that coordinate the instances' groups are SIGKILLed, the consumers go on, and the
 * cluster elects a new leader and coordinator from the surviving replicas. The node is then
 * started again on its data and waited for until it is back in sync.
 *
 * Two distinct nodes (leader ≠ coordinator) are killed one after the other, each brought back
 * before the next: killing two of three at once would leave no controller quorum and fewer
 * in-sync replicas than min.insync.replicas=2, an outage rather than a failover. The cluster
 * the harness starts places the topic's leader on the coordinator, so one SIGKILL takes both.
 */
export function leaderFailover({ atProcessed, downMs = 500, failoverWithinMs = 30_000 }: { atProcessed: number; downMs?: number; failoverWithinMs?: number }): Fault {
  const fault = holdEveryone({ name: `leader failover @ ${atProcessed}`, atProcessed, requires: { cluster: true } }, async (live, release) => {
    const cluster = live.broker.cluster;
    if (!cluster) throw new Error('a leader failover needs a cluster the harness started (--broker cluster)');
    const roles = await currentRoles(cluster, live);
    if (roles.leader === undefined) throw new Error(`partition 0 of ${live.topic} has no leader before the fault`);
    const coordinators = [...roles.coordinators.values()];
    if (coordinators.includes(undefined)) throw new Error('a consumer group has no coordinator before the fault');
    const victims = [...new Set([roles.leader, ...(coordinators as number[])])];
    for (const node of victims) {
      await failOver(cluster, live, node, { release, downMs, failoverWithinMs });
    }
  });
  return {
    ...fault,
    // A consumer whose commit the outage refused ends (the loop's rule for a refused save,
    // exit 1); like any crashed consumer it is restarted and resumes from its last landed save.
    judgeExit: (_instance, exit) => (exit.code === 1 ? 'restart' : undefined),
  };
}

interface Roles {
  leader: number | undefined;
  /** Group id → the node coordinating it. */
  coordinators: Map<string, number | undefined>;
}

async function currentRoles(cluster: ClusterControl, live: LiveContext): Promise<Roles> {
  const coordinators = new Map<string, number | undefined>();
  for (const groupId of new Set(live.instances.map((i) => i.groupId))) coordinators.set(groupId, await cluster.groupCoordinator(groupId));
  return { leader: await cluster.partitionLeader(live.topic, 0), coordinators };
}

const describeRoles = (node: number, roles: Roles) => {
  const what = [roles.leader === node ? 'leads partition 0' : '', [...roles.coordinators.values()].includes(node) ? 'coordinates the groups' : ''];
  return what.filter(Boolean).join(' and ');
};

/** Kill one node, let the consumers go on, wait until its roles moved, bring it back in sync. */
async function failOver(
  cluster: ClusterControl,
  live: LiveContext,
  node: number,
  { release, downMs, failoverWithinMs }: { release: () => void; downMs: number; failoverWithinMs: number },
): Promise<void> {
  const before = await currentRoles(cluster, live);
  await cluster.killNode(node);
  const killedAt = performance.now();
  live.note(`SIGKILL node ${node}, which ${describeRoles(node, before) || 'has no role any more'}, while the consumers run`);
  release(); // the consumers go on while the cluster fails over
  const after = await waitFor(
    async () => {
      const roles = await currentRoles(cluster, live);
      const moved = roles.leader !== undefined && roles.leader !== node && [...roles.coordinators.values()].every((c) => c !== undefined && c !== node);
      return moved ? roles : undefined;
    },
    { maxWaitMs: failoverWithinMs, intervalMs: 100, description: `a new leader and coordinator after node ${node} was killed` },
  );
  const coordinators = [...new Set(after.coordinators.values())].join(', ');
  live.note(`failover after ${seconds(performance.now() - killedAt)}: partition 0 is led by node ${after.leader}, the groups are coordinated by node ${coordinators}`);
  await sleep(downMs);
  const readyMs = await cluster.restartNode(node);
  live.note(`node ${node} restarted on its data, ready after ${seconds(readyMs)}`);
  await waitFor(async () => (await cluster.inSyncReplicas(live.topic, 0)).includes(node), {
    maxWaitMs: 60_000,
    intervalMs: 200,
    description: `node ${node} back among the in-sync replicas of ${live.topic}`,
  });
}
