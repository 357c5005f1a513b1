import type { Guarantee, HistoryEvent, Positions } from '../history/events.ts';
import type { Effect } from '../strategies/strategy.ts';
import { CheckFold } from './check-fold.ts';

/**
 * The checker: a pure function of the recorded history and the topic's offsets.
 * It never talks to Kafka and never trusts what a killed process "meant" to do: it counts
 * the side effects that reached the sink. It is a fold (src/checker/check-fold.ts): the runner
 * streams a run's history files through it; `check` runs it over events held in memory.
 */
export interface CheckSetup {
  /** Row (a strategy instance, or a consumer group of several) → the guarantee it claims. */
  claims: Record<string, Guarantee>;
  /** Row → the instances whose processing counts for it (default: the row's own name). */
  members?: Record<string, string[]>;
  /** Per partition: first offset still in the log (low watermark) and the end offset (high watermark). */
  logStartOffsets: Positions;
  endOffsets: Positions;
  /**
   * Per partition: records before this offset were deleted by the broker during the run
   * (retention). A message never processed and deleted counts as lost by retention, unless a
   * position that survived the row's crash (a `survived` event) had already passed it: then the
   * strategy had skipped it before the broker deleted it, and it is lost by the strategy.
   */
  deletedBefore?: Positions;
}

export interface CheckInput extends CheckSetup {
  events: Iterable<HistoryEvent>;
  /**
   * Row → the effects read back from the row's own store (database rows, output records),
   * for rows whose effects are not the history's processed events. Lost and duplicated are
   * counted on effects; deliveries (how often the consumer saw a message) are counted too.
   */
  effects?: Record<string, readonly Effect[]>;
}

export type Verdict = 'valid' | 'invalid' | 'unknown';
export type Observed = 'exactly-once' | 'at-least-once' | 'at-most-once' | 'neither' | 'lost-to-retention';

export interface CrashWindow {
  incarnation: number;
  /** Processed by the dead process but past its last saved position: will be processed again. */
  processedNotSaved: number;
  /** Saved as done by the dead process but never processed: will be skipped. */
  savedNotProcessed: number;
}

export interface StrategyReport {
  strategy: string;
  claims: Guarantee;
  observed: Observed;
  /** valid: the claim held; invalid: an anomaly the claim rules out; unknown: the history is not trustworthy. */
  verdict: Verdict;
  produced: number;
  /** Effects recorded, repeats included: produced − lost + duplicated (− lost to retention). */
  processed: number;
  /** Deliveries: how often the consumer was handed a message, repeats included. */
  delivered: number;
  /** Extra deliveries (a message delivered 3 times adds 2); equal to `duplicated` when the history is the sink. */
  duplicatedDeliveries: number;
  /** Messages never processed, even after the drain ran to the end offsets, and not deleted by the broker. */
  lost: number;
  /** Messages never processed because the broker deleted them first (retention): no strategy's doing. */
  lostByRetention: number;
  /** Extra processings: a message processed 3 times adds 2. */
  duplicated: number;
  /** Within one process lifetime, a partition's offset did not increase. */
  outOfOrder: number;
  restarts: number;
  crashes: CrashWindow[];
  lostSeqs: number[];
  duplicatedSeqs: Array<{ seq: number; times: number }>;
  problems: string[];
}

export interface CheckResult {
  verdict: Verdict;
  produced: number;
  strategies: StrategyReport[];
  problems: string[];
}

/** The fold over events in memory: the produced ones first, wherever they stand, then the rest in order. */
export function check(input: CheckInput): CheckResult {
  const fold = new CheckFold(input);
  for (const e of input.events) if (e.kind === 'produced') fold.add(e);
  for (const e of input.events) if (e.kind !== 'produced') fold.add(e);
  return fold.finish(input.effects);
}
