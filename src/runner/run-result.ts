import type { BrokerDescription } from '../broker/broker.ts';
import type { CheckResult, StrategyReport } from '../checker/check.ts';
import type { CrashPlan } from '../history/events.ts';
import type { StrategyOptions } from '../strategies/strategy.ts';
import type { Knobs, StrategyPrediction } from './scenario.ts';

export const phases = ['broker start', 'produce', 'consume+crash', 'fault', 'restart+drain', 'check'] as const;
export type Phase = (typeof phases)[number];

export interface StrategyResult extends StrategyReport {
  /** The instance's name (the table row). */
  name: string;
  /** The base strategy and its variant options. */
  base: string;
  options: StrategyOptions;
  crashPlan: CrashPlan | null;
  predicted: StrategyPrediction;
  matchesPrediction: boolean;
  /** Group joins per process lifetime beyond the first: an unplanned rebalance changes counts. */
  unplannedRebalances: number;
}

/** The result JSON (README: "Result schema"). */
export interface RunResult {
  scenario: string;
  runId: string;
  knobs: Knobs;
  broker: BrokerDescription;
  topic: string;
  /** The scenario's crash plan (instances may override it: see strategies[].crashPlan). */
  crash: CrashPlan | null;
  /** Faults injected between the crashes and the restarts. */
  faults: string[];
  strategies: StrategyResult[];
  verdict: CheckResult['verdict'];
  problems: string[];
  matchesPrediction: boolean;
  timings: Partial<Record<Phase, number>>;
  resultsDir: string;
}
