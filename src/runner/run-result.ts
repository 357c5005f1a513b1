import type { BrokerDescription } from '../broker/broker.ts';
import type { CheckResult, StrategyReport } from '../checker/check.ts';
import type { ClientName } from '../consumer/clients.ts';
import type { CrashPlan } from '../history/events.ts';
import type { GroupView } from '../kafka/group-view.ts';
import type { StrategyChoice } from '../strategies/strategy.ts';
import type { StrategyPrediction } from './scenario.ts';

export const phases = ['broker start', 'produce', 'consume+crash', 'fault', 'restart+drain', 'check'] as const;
export type Phase = (typeof phases)[number];

export interface StrategyResult extends StrategyReport {
  /** The instance's name (the table row). */
  name: string;
  /** The base strategy and its variant options. */
  base: StrategyChoice['strategy'];
  options: NonNullable<StrategyChoice['options']>;
  crashPlan: CrashPlan | null;
  predicted: StrategyPrediction;
  matchesPrediction: boolean;
  /** Rejoins the scenario did not plan (rows.ts, unplannedRebalances): such a rebalance changes counts. */
  unplannedRebalances: number;
  /** Where the row's effects were read back from, when not from the history (a database, an output topic). */
  effectStore?: { source: string; state?: { description: string; matches: boolean; detail: string } };
}

/** The result JSON (README: "Result schema"). */
export interface RunResult {
  scenario: string;
  runId: string;
  knobs: Record<string, number>;
  broker: BrokerDescription;
  topic: string;
  /** The run's Kafka client (`--client`; absent in results written before it existed: kafkajs). */
  client?: ClientName;
  /** Rows the run did not start: the client lacks what the strategy needs. */
  unsupported?: Array<{ row: string; client: ClientName; reason: string }>;
  /** The scenario's crash plan (instances may override it: see strategies[].crashPlan). */
  crash: CrashPlan | null;
  /** Faults injected between the crashes and the restarts. */
  faults: string[];
  strategies: StrategyResult[];
  verdict: CheckResult['verdict'];
  problems: string[];
  matchesPrediction: boolean;
  /** Each group's committed offsets and lag as the broker reported them after the run (before any clean-up). */
  kafka?: GroupView[];
  /** The same, read once the first processes had ended, before any restart (runs with a crash). */
  kafkaAtCrash?: GroupView[];
  timings: Partial<Record<Phase, number>>;
  resultsDir: string;
}
