import type { EventOf, Guarantee, HistoryEvent, Positions } from '../history/events.ts';
import type { Effect } from '../strategies/strategy.ts';
import { crashWindows } from './crash-windows.ts';
import { MessageIndex } from './message-index.ts';

/**
 * The checker: a pure function of the recorded history and the topic's offsets.
 * It never talks to Kafka and never trusts what a killed process "meant" to do: it counts
 * the side effects that reached the sink.
 */
export interface CheckInput {
  /** Row (a strategy instance, or a consumer group of several) → the guarantee it claims. */
  claims: Record<string, Guarantee>;
  /** Row → the instances whose processing counts for it (default: the row's own name). */
  members?: Record<string, string[]>;
  events: readonly HistoryEvent[];
  /**
   * Row → the effects read back from the row's own store (database rows, output records),
   * for rows whose effects are not the history's processed events. Lost and duplicated are
   * counted on effects; deliveries (how often the consumer saw a message) are counted too.
   */
  effects?: Record<string, readonly Effect[]>;
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

export function check(input: CheckInput): CheckResult {
  const produced: Array<EventOf<'produced'>> = [];
  // One pass: each instance's own events, in order (the rows read only their members').
  const byInstance = new Map<string, HistoryEvent[]>();
  for (const e of input.events) {
    if (e.kind === 'produced') produced.push(e);
    else if ('strategy' in e) {
      const list = byInstance.get(e.strategy);
      if (list) list.push(e);
      else byInstance.set(e.strategy, [e]);
    }
  }
  const index = new MessageIndex(produced);
  const problems = checkProduced(produced, index, input);

  const strategies = Object.entries(input.claims).map(([strategy, claims]) =>
    checkStrategy(strategy, claims, { produced, index, byInstance }, input.deletedBefore ?? {}, input.members?.[strategy] ?? [strategy], input.effects?.[strategy]),
  );
  const verdict: Verdict =
    problems.length > 0 || strategies.some((s) => s.verdict === 'unknown')
      ? 'unknown'
      : strategies.every((s) => s.verdict === 'valid')
        ? 'valid'
        : 'invalid';
  return { verdict, produced: produced.length, strategies, problems };
}

/** The produced events must describe exactly the topic's contents, or no count can be trusted. */
function checkProduced(produced: ReadonlyArray<EventOf<'produced'>>, index: MessageIndex, input: CheckInput): string[] {
  const problems: string[] = [];
  let inLog = 0;
  for (const [partition, end] of Object.entries(input.endOffsets)) {
    inLog += end - (input.logStartOffsets[Number(partition)] ?? 0);
  }
  if (inLog !== produced.length) {
    problems.push(`the topic holds ${inLog} messages but the producer recorded ${produced.length}`);
  }
  for (const at of index.doubles) problems.push(`two produced messages recorded at ${at}`);
  return problems;
}

/** What every row is checked against: the produced messages and each instance's own events. */
interface Produced {
  produced: ReadonlyArray<EventOf<'produced'>>;
  index: MessageIndex;
  byInstance: Map<string, HistoryEvent[]>;
}

function checkStrategy(
  strategy: string,
  claims: Guarantee,
  { produced, index, byInstance }: Produced,
  deletedBefore: Positions,
  members: string[],
  storedEffects: readonly Effect[] | undefined,
): StrategyReport {
  const ownOf = (member: string) => byInstance.get(member) ?? [];
  const own = members.flatMap(ownOf);
  const processedEvents = own.filter((e): e is EventOf<'processed'> => e.kind === 'processed');
  const problems: string[] = [];

  const deliveries = countTimes(processedEvents, index, 'delivered', problems);
  const effects = storedEffects ?? processedEvents;
  const times = storedEffects ? countTimes(storedEffects, index, 'stored an effect of', problems) : deliveries;
  let duplicatedDeliveries = 0;
  for (const n of deliveries) duplicatedDeliveries += n > 1 ? n - 1 : 0;

  const lostSeqs: number[] = [];
  const duplicatedSeqs: Array<{ seq: number; times: number }> = [];
  let duplicated = 0;
  let lostByRetention = 0;
  const skippedBefore: Positions = {};
  for (const e of own) {
    if (e.kind !== 'survived') continue;
    for (const [p, at] of Object.entries(e.positions)) skippedBefore[Number(p)] = Math.max(skippedBefore[Number(p)] ?? 0, at);
  }
  for (const e of produced) {
    const n = times[index.slot(e.partition, e.offset)]!;
    if (n === 0 && e.offset < (deletedBefore[e.partition] ?? 0) && e.offset >= (skippedBefore[e.partition] ?? 0)) lostByRetention++;
    else if (n === 0) lostSeqs.push(e.seq);
    if (n > 1) {
      duplicated += n - 1;
      duplicatedSeqs.push({ seq: e.seq, times: n });
    }
  }
  lostSeqs.sort((a, b) => a - b);
  duplicatedSeqs.sort((a, b) => a.seq - b.seq);

  const lost = lostSeqs.length;
  const observed: Observed =
    lost === 0
      ? duplicated > 0
        ? 'at-least-once'
        : lostByRetention > 0
          ? 'lost-to-retention'
          : 'exactly-once'
      : duplicated === 0
        ? 'at-most-once'
        : 'neither';
  const claimHeld =
    claims === 'at-least-once' ? lost === 0 : claims === 'at-most-once' ? duplicated === 0 : lost === 0 && duplicated === 0;

  return {
    strategy,
    claims,
    observed,
    verdict: problems.length > 0 ? 'unknown' : claimHeld ? 'valid' : 'invalid',
    produced: produced.length,
    processed: effects.length,
    delivered: processedEvents.length,
    duplicatedDeliveries,
    lost,
    lostByRetention,
    duplicated,
    outOfOrder: members.reduce((sum, m) => sum + countOutOfOrder(ownOf(m)), 0),
    restarts: members.reduce((sum, m) => sum + Math.max(0, new Set(ownOf(m).filter((e) => e.kind === 'started').map((e) => e.incarnation)).size - 1), 0),
    crashes: members.flatMap((m) => crashWindows(ownOf(m), ownOf(m).filter((e) => e.kind === 'survived'))),
    lostSeqs,
    duplicatedSeqs,
    problems,
  };
}

/** How often each produced message (by slot) appears in `records`; records of messages never produced are problems. */
function countTimes(records: readonly Effect[], index: MessageIndex, verb: string, problems: string[]): Uint32Array {
  const times = new Uint32Array(index.size);
  for (const e of records) {
    const slot = index.slot(e.partition, e.offset);
    const expectedSeq = index.seqAt(slot);
    if (expectedSeq === undefined) problems.push(`${verb} ${e.partition}:${e.offset}, which was never produced`);
    else if (expectedSeq !== e.seq) problems.push(`${verb} ${e.partition}:${e.offset} with seq ${e.seq}, produced with seq ${expectedSeq}`);
    if (slot >= 0) times[slot]!++;
  }
  return times;
}

/** Within one process lifetime (one instance's events) each partition must move forward; a replay after a restart is not disorder. */
function countOutOfOrder(own: readonly HistoryEvent[]): number {
  const last = new Map<number, Map<number, number>>(); // incarnation → partition → last offset
  let outOfOrder = 0;
  for (const e of own) {
    if (e.kind !== 'processed') continue;
    let lives = last.get(e.incarnation);
    if (!lives) last.set(e.incarnation, (lives = new Map()));
    const previous = lives.get(e.partition);
    if (previous !== undefined && e.offset <= previous) outOfOrder++;
    lives.set(e.partition, e.offset);
  }
  return outOfOrder;
}
