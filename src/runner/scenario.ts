import type { StrategyReport } from '../checker/check.ts';
import type { CrashPointName } from '../history/events.ts';
import type { Lang } from '../report/lang.ts';
import type { StrategyName } from '../strategies/registry.ts';
import type { Text } from '../strategies/strategy.ts';

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

/** What the mechanism predicts for one strategy: an exact count, or a range when timing decides. */
export type Prediction = number | { min: number; max: number };

export interface StrategyPrediction {
  lost: Prediction;
  duplicated: Prediction;
}

export interface ScenarioDefinition {
  name: string;
  summary: Text;
  defaults: Knobs;
  strategies: StrategyName[];
  /** Where each strategy's first process is killed. */
  crash(knobs: Knobs): { point: CrashPointName; atProcessed: number };
  /** The counts the mechanism predicts, derived from the knobs (see the scenario file for why). */
  predict(knobs: Knobs): Record<string, StrategyPrediction>;
  /** The lesson under the table: explains each strategy's numbers by mechanism. */
  lesson(knobs: Knobs, strategies: StrategyReport[], lang: Lang): string[];
}

export function defineScenario(definition: ScenarioDefinition): ScenarioDefinition {
  return definition;
}

export function matchesPrediction(value: number, prediction: Prediction): boolean {
  return typeof prediction === 'number' ? value === prediction : value >= prediction.min && value <= prediction.max;
}

export function formatPrediction(prediction: Prediction): string {
  return typeof prediction === 'number' ? String(prediction) : `${prediction.min}–${prediction.max}`;
}
