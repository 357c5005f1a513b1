import type { BrokerDescription } from '../broker/broker.ts';
import type { CheckResult, StrategyReport } from '../checker/check.ts';
import type { Knobs, StrategyPrediction } from './scenario.ts';

export const phases = ['broker start', 'produce', 'consume+crash', 'restart+drain', 'check'] as const;
export type Phase = (typeof phases)[number];

export interface StrategyResult extends StrategyReport {
  name: string;
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
  crash: { point: string; atProcessed: number };
  strategies: StrategyResult[];
  verdict: CheckResult['verdict'];
  problems: string[];
  matchesPrediction: boolean;
  timings: Partial<Record<Phase, number>>;
  resultsDir: string;
}
