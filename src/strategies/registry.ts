import { autoCommitInfo, createAutoCommit } from './auto-commit.ts';
import { createFileCheckpoint, fileCheckpointInfo } from './file-checkpoint.ts';
import { createManualCommit, manualCommitInfo } from './manual-commit.ts';
import type { Strategy, StrategyInfo, StrategyRuntime } from './strategy.ts';

const strategies = {
  'auto-commit': { info: autoCommitInfo, create: createAutoCommit },
  'manual-commit': { info: manualCommitInfo, create: createManualCommit },
  'file-checkpoint': { info: fileCheckpointInfo, create: (runtime: StrategyRuntime) => createFileCheckpoint(runtime) },
} satisfies Record<string, { info: StrategyInfo; create: (runtime: StrategyRuntime) => Strategy }>;

export type StrategyName = keyof typeof strategies;
export const strategyNames = Object.keys(strategies) as StrategyName[];

export function isStrategyName(name: string): name is StrategyName {
  return name in strategies;
}

export function strategyInfo(name: StrategyName): StrategyInfo {
  return strategies[name].info;
}

export function createStrategy(name: StrategyName, runtime: StrategyRuntime): Strategy {
  return strategies[name].create(runtime);
}
