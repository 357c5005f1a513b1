import type { AnyScenario } from '../src/runner/scenario.ts';
import autoCommitAsync from './auto-commit-async.ts';
import brokerRestart from './broker-restart.ts';
import checkpointLost from './checkpoint-lost.ts';
import clientSemantics from './client-semantics.ts';
import commitBeforeProcess from './commit-before-process.ts';
import crashDuringSave from './crash-during-save.ts';
import crashMidBatch from './crash-mid-batch.ts';
import leaderFailover from './leader-failover.ts';
import offByOneCommit from './off-by-one-commit.ts';
import rebalanceHandoff from './rebalance-handoff.ts';
import rebalanceRightWay from './rebalance-right-way.ts';
import retentionGap from './retention-gap.ts';
import seekReplay from './seek-replay.ts';
import staleCheckpoint from './stale-checkpoint.ts';
import tornCheckpoint from './torn-checkpoint.ts';
import theRightWay from './the-right-way.ts';
import twoServices from './two-services.ts';
import zombieConsumer from './zombie-consumer.ts';
import zombieRightWay from './zombie-right-way.ts';

/** The catalogue: one file per scenario, listed in teaching order. */
export const scenarios: readonly AnyScenario[] = [
  crashMidBatch,
  commitBeforeProcess,
  autoCommitAsync,
  offByOneCommit,
  tornCheckpoint,
  checkpointLost,
  staleCheckpoint,
  twoServices,
  rebalanceHandoff,
  zombieConsumer,
  retentionGap,
  brokerRestart,
  theRightWay,
  crashDuringSave,
  rebalanceRightWay,
  zombieRightWay,
  leaderFailover,
  seekReplay,
  clientSemantics,
];

export function findScenario(name: string): AnyScenario | undefined {
  return scenarios.find((s) => s.name === name);
}
