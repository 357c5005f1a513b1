/**
 * A strategy and its options as they arrive in a child's configuration: the strategy must be
 * one we have, and each option one of that strategy's, with one of its values.
 */
import type { StrategyChoice, StrategyName, StrategyOptionsByName } from '../strategies/strategy.ts';
import { BoundaryError, Fields } from './check.ts';

type OptionReaders = {
  [S in StrategyName]: { [O in keyof StrategyOptionsByName[S]]-?: (f: Fields, option: O & string) => StrategyOptionsByName[S][O] };
};

/** Every option of every strategy, and how its value is checked; a missing one does not compile. */
const optionReaders: OptionReaders = {
  'auto-commit': {
    processing: (f, o) => f.optionalOneOf(o, ['awaited', 'handed-off']),
    timing: (f, o) => f.optionalOneOf(o, ['interval', 'client-default']),
  },
  'manual-commit': {
    commitOrder: (f, o) => f.optionalOneOf(o, ['after-process', 'before-process']),
    commitOffset: (f, o) => f.optionalOneOf(o, ['next', 'processed']),
  },
  'file-checkpoint': {
    write: (f, o) => f.optionalOneOf(o, ['in-place', 'atomic']),
    fallback: (f, o) => f.optionalOneOf(o, ['earliest', 'latest']),
    tornBy: (f, o) => f.optionalOneOf(o, ['sigkill', 'power-loss']),
    checkpointFile: (f, o) => {
      const name = f.optionalString(o, { nonEmpty: true });
      // A file name in the run folder: a path could write outside it.
      if (name !== undefined && (/[/\\]/.test(name) || name === '.' || name === '..')) f.fail(o, 'a file name without a folder', name);
      return name;
    },
    commitToKafka: (f, o) => (f.has(o) ? f.boolean(o) : undefined),
  },
  'atomic-store': {
    commitToKafka: (f, o) => (f.has(o) ? f.boolean(o) : undefined),
  },
  'idempotent-sink': {},
  'state-snapshot': {
    keys: (f, o) => f.optionalWholeNumber(o, 1),
  },
  'kafka-transactions': {
    transactionTimeoutMs: (f, o) => f.optionalWholeNumber(o, 1000),
    transactionalId: (f, o) => f.optionalOneOf(o, ['per-partition', 'per-process']),
  },
};

export const strategyNames = Object.keys(optionReaders) as StrategyName[];

/** Reads `field` of `parent` as a StrategyChoice; an unknown strategy or option is named in the error. */
export function readStrategyChoice(parent: Fields, field: string, where: string): StrategyChoice {
  const f = parent.object(field);
  const strategy = f.string('strategy');
  if (!Object.hasOwn(optionReaders, strategy)) {
    throw new BoundaryError(`${where}: unknown strategy ${JSON.stringify(strategy)} in field "${f.name('strategy')}" (known: ${strategyNames.join(', ')})`);
  }
  const readers = optionReaders[strategy as StrategyName] as Record<string, (f: Fields, option: string) => unknown>;
  if (!f.has('options')) {
    f.done();
    return { strategy } as StrategyChoice;
  }
  const o = f.object('options');
  const unknown = o.keys().find((key) => !Object.hasOwn(readers, key));
  if (unknown !== undefined) {
    throw new BoundaryError(
      `${where}: unknown option ${JSON.stringify(unknown)} of strategy "${strategy}" in field "${o.name(unknown)}" (its options: ${Object.keys(readers).join(', ')})`,
    );
  }
  const options: Record<string, unknown> = {};
  for (const [option, read] of Object.entries(readers)) {
    const value = read(o, option);
    if (value !== undefined) options[option] = value;
  }
  o.done();
  f.done();
  return { strategy, options } as StrategyChoice;
}
