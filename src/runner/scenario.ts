import type { StrategyReport } from '../checker/check.ts';
import type { Fault } from '../faults/fault.ts';
import type { Lang } from '../report/lang.ts';
import type { ClientName } from '../consumer/clients.ts';
import type { StrategyChoice, Text } from '../strategies/strategy.ts';
import type { KnobDeclarations, KnobName, KnobNamer, Knobs } from './knobs.ts';

export { crashMessage, savedBeforeCrash, type Knobs } from './knobs.ts';

/** What the mechanism predicts for one row: an exact count, or a range when timing decides. */
export type Prediction = number | { min: number; max: number };

export interface StrategyPrediction {
  lost: Prediction;
  duplicated: Prediction;
  /** Messages deleted by the broker (retention) before anyone read them; 0 unless the scenario deletes data. */
  lostByRetention?: Prediction;
  /** Extra deliveries, where they differ from extra effects (a store that absorbs repeats); checked when given. */
  duplicatedDeliveries?: Prediction;
  /**
   * When lost and duplicated depend on the same unfixed order (kafkajs's partition order), the
   * (lost, duplicated) pairs the mechanism allows: the row must match one of them, so that
   * two ranges do not accept a pair no order gives.
   */
  outcomes?: Array<{ lost: number; duplicated: number }>;
}

/** One consumer instance in a scenario: a strategy (with its options), in its own group unless `group` says otherwise. */
export type InstanceSpec = StrategyChoice & {
  /** Unique in the scenario; the table's row name. */
  name: string;
  /**
   * Instances with the same group share one consumer group (they split its partitions) and
   * are counted together as one row named by the group.
   */
  group?: string;
  /** The Kafka client this instance runs on (default: the run's `--client`). */
  client?: ClientName;
};

/** What a run decides besides the knobs, that predictions and lessons may depend on. */
export interface RunContext {
  /** The run's client (`--client`); an instance may name its own. */
  client: ClientName;
}

/** A scenario as its file writes it. */
export interface ScenarioSpec<N extends KnobName = never> {
  name: string;
  summary: Text;
  /** The knobs this scenario uses, with its defaults (messages, partitions and batch always). */
  knobs: KnobDeclarations<N>;
  instances: Array<StrategyChoice['strategy'] | InstanceSpec>;
  /** What goes wrong, as values (see src/faults/). */
  faults(knobs: Knobs<N>): Fault[];
  /** Checks of the knobs against each other: a message naming them through `flag`, or undefined. */
  validate?(knobs: Knobs<N>, flag: KnobNamer): string | undefined;
  /** Consumer session timeout for this scenario on a broker the harness started (default teachingSessionTimeoutMs, 1.5 s). */
  sessionTimeoutMs?: number;
  /** The consumers' heartbeat interval where the scenario's session applies (default a tenth of the session). */
  heartbeatIntervalMs?: number;
  /**
   * How long a strategy process's kafkajs client retries a request nobody answers before it
   * gives up (default defaultRetryWindowMs, ~13 s). A scenario whose broker is down on purpose
   * sets it to outlast the outage, however slow the machine makes the restart.
   */
  retryWindowMs?: number;
  /**
   * Group members rejoin on purpose (a member dies, its partitions move): only a live member the
   * group removed (it rejoined with a new member id) is flagged as unplanned. `any`: the fault
   * makes members rejoin as new ones too (the coordinator killed): nothing is flagged.
   */
  rebalances?: 'expected' | 'any';
  /**
   * At most this many strategy processes at a time in each phase, started in the order of
   * `instances` (1: one after another, when their order is the lesson); default: all at once.
   */
  atOnce?: number;
  /** The counts the mechanism predicts, per row (see the scenario file for why). */
  predict(knobs: Knobs<N>, run: RunContext): Record<string, StrategyPrediction>;
  /** The lesson under the table: explains each row's numbers by mechanism. */
  lesson(knobs: Knobs<N>, strategies: StrategyReport[], lang: Lang, run: RunContext): string[];
}

/** A scenario as the runner and the command line use it. */
export interface ScenarioDefinition<N extends KnobName = never> extends ScenarioSpec<N> {
  /** The declared knobs' defaults. */
  readonly defaults: Knobs<N>;
  /** Some fault kills and restarts the broker: only a local JVM broker started by the harness can do that. */
  readonly needsRestartableBroker: boolean;
  /** Some fault kills and restarts nodes of a cluster: only the cluster the harness starts (--broker cluster). */
  readonly needsCluster: boolean;
}

/** Any scenario of the catalogue (their knob sets differ). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyScenario = ScenarioDefinition<any>;

export function defineScenario<const N extends KnobName = never>(spec: ScenarioSpec<N>): ScenarioDefinition<N> {
  const defaults = Object.fromEntries(Object.entries(spec.knobs).map(([name, d]) => [name, (d as { default: number }).default])) as Knobs<N>;
  return {
    ...spec,
    defaults,
    needsRestartableBroker: spec.faults(defaults).some((f) => f.requires?.restartableBroker === true),
    needsCluster: spec.faults(defaults).some((f) => f.requires?.cluster === true),
  };
}

export function instanceSpecs(scenario: Pick<AnyScenario, 'instances'>): InstanceSpec[] {
  return scenario.instances.map((i) => (typeof i === 'string' ? ({ name: i, strategy: i } as InstanceSpec) : i));
}

/** The table's rows: an instance, or the group several instances share. */
export const rowName = (spec: InstanceSpec) => spec.group ?? spec.name;

export function matchesPrediction(value: number, prediction: Prediction): boolean {
  return typeof prediction === 'number' ? value === prediction : value >= prediction.min && value <= prediction.max;
}

export function formatPrediction(prediction: Prediction): string {
  return typeof prediction === 'number' ? String(prediction) : `${prediction.min}–${prediction.max}`;
}

/**
 * How long a scenario keeps one lane of `all` busy, roughly: its consumer processes (measured
 * in `all`: client-semantics' 14, four at a time, ~20 s; zombie-right-way's 8 ~11 s; three ~2 s).
 * Only an order for the pool (longest first, so the long ones do not start last); never a count.
 */
export function expectedLength(scenario: Pick<AnyScenario, 'instances'>): number {
  return scenario.instances.length;
}

/** Longest first (a stable sort: equal ones keep the catalogue's order). */
export const longestFirst = <T extends { scenario: Pick<AnyScenario, 'instances'> }>(plan: readonly T[]): T[] =>
  [...plan].sort((a, b) => expectedLength(b.scenario) - expectedLength(a.scenario));
