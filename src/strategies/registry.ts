import { createAutoCommit, describeAutoCommit } from './auto-commit.ts';
import { createFileCheckpoint, describeFileCheckpoint } from './file-checkpoint.ts';
import { createManualCommit, describeManualCommit } from './manual-commit.ts';
import type { Strategy, StrategyInfo, StrategyOptions, StrategyRuntime } from './strategy.ts';

const strategies = {
  'auto-commit': { describe: describeAutoCommit, create: createAutoCommit },
  'manual-commit': { describe: describeManualCommit, create: createManualCommit },
  'file-checkpoint': { describe: describeFileCheckpoint, create: createFileCheckpoint },
} satisfies Record<string, { describe: (o?: StrategyOptions) => StrategyInfo; create: (r: StrategyRuntime, o?: StrategyOptions) => Strategy }>;

export type StrategyName = keyof typeof strategies;
export const strategyNames = Object.keys(strategies) as StrategyName[];

export function strategyInfo(name: StrategyName, options: StrategyOptions = {}): StrategyInfo {
  return strategies[name].describe(options);
}

export function createStrategy(name: StrategyName, runtime: StrategyRuntime, options: StrategyOptions = {}): Strategy {
  return strategies[name].create(runtime, options);
}
