/**
 * The knob values a scenario runs with, from what the user typed and what the scenario
 * declares. Every message names only flags the user gave, or says which default is involved
 * (`--batch 50 is smaller than --crash-after (default 100)`).
 */
import { crashMessage, flagOf, knobCatalogue, knobNamer, type KnobName, type Knobs } from '../runner/knobs.ts';
import type { AnyScenario, ScenarioDefinition } from '../runner/scenario.ts';
import { UserError } from '../util/errors.ts';
import { knobNames, type GivenKnobs } from './args.ts';

/** What resolveKnobs needs of a scenario. */
export type KnobScenario<N extends KnobName> = Pick<ScenarioDefinition<N>, 'name' | 'knobs' | 'validate'>;

/** The knobs a scenario declares, in the catalogue's order. */
export const declaredKnobs = (scenario: Pick<AnyScenario, 'knobs'>): KnobName[] => knobNames.filter((name) => Object.hasOwn(scenario.knobs, name));

/**
 * Checks the given knobs against the scenario (a knob it does not declare is refused), the
 * catalogue's bounds, each other, and the scenario's own rule; returns the declared knobs'
 * values. Throws a UserError with one line saying what is wrong.
 */
export function resolveKnobs<N extends KnobName>(scenario: KnobScenario<N>, given: GivenKnobs): Knobs<N> {
  const declared = declaredKnobs(scenario);
  const gave = new Set((Object.keys(given) as KnobName[]).filter((name) => given[name] !== undefined));
  const unused = [...gave].filter((name) => !declared.includes(name));
  if (unused.length > 0) {
    throw new UserError(`${scenario.name} does not use ${unused.map(flagOf).join(' or ')}; its knobs are ${declared.map(flagOf).join(', ')}`, {
      hint: `npm run scenario ${scenario.name} -- --help describes them.`,
    });
  }
  const values: Partial<Record<KnobName, number>> = {};
  const declarations = scenario.knobs as Partial<Record<KnobName, { default: number }>>;
  for (const name of declared) values[name] = given[name] ?? declarations[name]!.default;
  const k = values as Knobs<KnobName>;
  const flag = knobNamer(values, gave);

  for (const name of declared) {
    const { min, max } = knobCatalogue[name];
    const value = values[name]!;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      const whose = gave.has(name) ? '' : ` (the default of ${scenario.name})`;
      throw new UserError(`${flagOf(name)} must be between ${min} and ${max}, got ${value}${whose}`);
    }
  }

  // Generic cross-checks, only between knobs the scenario declares: a crash the run could
  // never reach is an error, not a silent no-op.
  const has = (name: KnobName) => declared.includes(name);
  if (has('crashAfter') && k.crashAfter > k.batch) {
    const why = 'the crash comes K messages into a batch of B (K ≤ B)';
    throw new UserError(
      gave.has('crashAfter')
        ? `${flag('crashAfter')} is larger than ${flag('batch')}: ${why}`
        : `${flag('batch')} is smaller than ${flag('crashAfter')}: ${why}`,
    );
  }
  if (has('crashAfter') && has('crashBatch') && crashMessage(k) > k.messages) {
    throw new UserError(
      `the crash would come after message ${crashMessage(k)} with ${flag('crashBatch')}, ${flag('batch')} and ${flag('crashAfter')}, but ${flag('messages')} produces only ${k.messages} messages`,
    );
  }

  const problem = scenario.validate?.(k as Knobs<N>, flag);
  if (problem) throw new UserError(problem);
  return k as Knobs<N>;
}
