import type { StrategyReport } from '../checker/check.ts';
import type { CrashPlan, HistoryEvent } from '../history/events.ts';
import type { StartedBroker } from '../broker/broker.ts';
import type { RunResources } from '../kafka/run-resources.ts';
import type { Lang } from '../report/lang.ts';
import type { StrategyName } from '../strategies/registry.ts';
import type { StrategyOptions, Text } from '../strategies/strategy.ts';

/** The values a teacher can change from the command line. */
export interface Knobs {
  messages: number;
  partitions: number;
  /** The strategies' saving unit: they save after every `batch` processed messages. */
  batch: number;
  /** The crash comes after this many messages of the crash batch (1..batch). */
  crashAfter: number;
  /** Which batch (1-based) the crash happens in. */
  crashBatch: number;
}

/** The message number the crash knobs point at: crashAfter messages into batch crashBatch. */
export const crashMessage = (k: Knobs) => (k.crashBatch - 1) * k.batch + k.crashAfter;

/** What the mechanism predicts for one instance: an exact count, or a range when timing decides. */
export type Prediction = number | { min: number; max: number };

export interface StrategyPrediction {
  lost: Prediction;
  duplicated: Prediction;
  /** Messages deleted by the broker (retention) before anyone read them; 0 unless the scenario deletes data. */
  lostByRetention?: Prediction;
}

/** One consumer instance in a scenario: a strategy, possibly a variant of it, in its own group. */
export interface InstanceSpec {
  /** Unique in the scenario; the table's row name. */
  name: string;
  strategy: StrategyName;
  options?: StrategyOptions;
  /**
   * Instances with the same group share one consumer group (they split its partitions) and
   * are counted together as one row named by the group.
   */
  group?: string;
  /** Overrides the scenario's crash for this instance; null: this instance never crashes. */
  crash?: (knobs: Knobs) => CrashPlan | null;
  /**
   * Freeze this instance (SIGSTOP) at a message, before its batch save, until the rest of its
   * group has taken over its partitions and finished; then let it continue (SIGCONT): a zombie.
   */
  freeze?: (knobs: Knobs) => { atProcessed: number };
}

export interface FaultContext {
  workDir: string;
  topic: string;
  knobs: Knobs;
  /** Path of an instance's checkpoint file. */
  checkpointPath(instance: string): string;
  /** Everything recorded so far (the crash phase's history). */
  history(): HistoryEvent[];
  /** Guarded destructive operations: only on this run's own topic. */
  resources: RunResources;
}

export interface HeldContext {
  broker: StartedBroker;
  /** Lets every held instance go on. */
  release(): void;
}

export interface ScenarioDefinition {
  name: string;
  summary: Text;
  defaults: Knobs;
  instances: Array<StrategyName | InstanceSpec>;
  /** Where each instance's first process is killed; null or absent: nobody crashes. */
  crash?(knobs: Knobs): CrashPlan | null;
  /** Extra checks of the knobs for this scenario: a message saying what is wrong, or undefined. */
  validate?(knobs: Knobs): string | undefined;
  /** Every instance holds after this message until `whileHeld` is done (a fault while the consumers run). */
  holdAt?(knobs: Knobs): number;
  /** The fault while all instances hold; calls `release` when they may go on; returns what it did. */
  whileHeld?(context: HeldContext): Promise<string[]>;
  /** The fault kills and restarts the broker: only a local JVM broker started by the harness can do that. */
  needsRestartableBroker?: boolean;
  /** Consumer session timeout for this scenario on a broker the harness started (default 3 s). */
  sessionTimeoutMs?: number;
  /** Group members rejoin on purpose (a member dies, its partitions move): not flagged as unplanned. */
  rebalances?: 'expected';
  /** Run the instances one after another in each phase (when their order is the lesson). */
  sequential?: boolean;
  /** A fault injected after the crashes and before the restarts; returns what it did, for the report. */
  beforeRestart?(context: FaultContext): Promise<string[]>;
  /** The counts the mechanism predicts, per instance name (see the scenario file for why). */
  predict(knobs: Knobs): Record<string, StrategyPrediction>;
  /** The lesson under the table: explains each instance's numbers by mechanism. */
  lesson(knobs: Knobs, strategies: StrategyReport[], lang: Lang): string[];
}

export function defineScenario(definition: ScenarioDefinition): ScenarioDefinition {
  return definition;
}

export function instanceSpecs(scenario: ScenarioDefinition): InstanceSpec[] {
  return scenario.instances.map((i) => (typeof i === 'string' ? { name: i, strategy: i } : i));
}

/** The table's rows: an instance, or the group several instances share. */
export const rowName = (spec: InstanceSpec) => spec.group ?? spec.name;

export function matchesPrediction(value: number, prediction: Prediction): boolean {
  return typeof prediction === 'number' ? value === prediction : value >= prediction.min && value <= prediction.max;
}

export function formatPrediction(prediction: Prediction): string {
  return typeof prediction === 'number' ? String(prediction) : `${prediction.min}–${prediction.max}`;
}
