import type { ClientName } from '../consumer/clients.ts';
import { atomicStore } from './atomic-store.ts';
import { autoCommit } from './auto-commit.ts';
import { fileCheckpoint } from './file-checkpoint.ts';
import { idempotentSink } from './idempotent-sink.ts';
import { kafkaTransactions } from './kafka-transactions.ts';
import { manualCommit } from './manual-commit.ts';
import { stateSnapshot } from './state-snapshot.ts';
import type { Strategy, StrategyChoice, StrategyInfo, StrategyModule, StrategyName, StrategyOptionsByName, StrategyRuntime } from './strategy.ts';

export type { StrategyName } from './strategy.ts';

/** Every strategy by name; a new strategy is one module and one line here. */
const modules: { [K in StrategyName]: StrategyModule<StrategyOptionsByName[K]> } = {
  'auto-commit': autoCommit,
  'manual-commit': manualCommit,
  'file-checkpoint': fileCheckpoint,
  'atomic-store': atomicStore,
  'idempotent-sink': idempotentSink,
  'state-snapshot': stateSnapshot,
  'kafka-transactions': kafkaTransactions,
};

export const strategyNames = Object.keys(modules) as StrategyName[];

export function strategyModule<K extends StrategyName>(name: K): StrategyModule<StrategyOptionsByName[K]> {
  return modules[name];
}

/*
 * A choice pairs a name with that name's options, but TypeScript cannot follow the pairing
 * through an index: the cast below is the one place it is asserted.
 */
const moduleOf = (choice: StrategyChoice) => modules[choice.strategy] as StrategyModule<StrategyChoice['options']>;

export function strategyInfo(choice: StrategyChoice): StrategyInfo {
  return moduleOf(choice).describe(choice.options ?? {});
}

/** Why this strategy cannot run on this client, or undefined when it can. */
export function unsupportedReason(choice: StrategyChoice, client: ClientName): string | undefined {
  return moduleOf(choice).unsupportedOn?.(choice.options ?? {})[client];
}

export function createStrategy(choice: StrategyChoice, runtime: StrategyRuntime): Strategy {
  return moduleOf(choice).create(runtime, choice.options ?? {});
}
