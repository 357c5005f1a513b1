import type { EventOf, HistoryEvent } from '../history/events.ts';
import type { RunResult, StrategyResult } from '../runner/run-result.ts';

/**
 * What the timelines draw, per table row: the fate of every offset (from the result, so the
 * picture shows the table's numbers), what each process read (its lane), and the positions
 * it saved, crashed at and resumed from (from the history). Positions follow Kafka's
 * convention: the next offset to read, i.e. "everything before this is done".
 */
export type OffsetFate = 'once' | 'repeated' | 'lost' | 'deleted';

export interface PartitionSpan {
  partition: number;
  /** Offsets [start, end) that were produced. */
  start: number;
  end: number;
}

export type MarkKind = 'saved' | 'save-failed' | 'crash' | 'frozen' | 'resume';

export interface Mark {
  kind: MarkKind;
  instance: string;
  incarnation: number;
  partition: number;
  position: number;
  time: number;
  /** resume: the process found no usable saved position and fell back to this policy. */
  fallback?: 'earliest' | 'latest';
}

/** One process lifetime of one instance: what it processed, in runs of consecutive offsets. */
export interface Lane {
  instance: string;
  incarnation: number;
  started: number;
  runs: Array<{ partition: number; from: number; to: number }>;
}

export interface RowTimeline {
  row: string;
  members: string[];
  spans: PartitionSpan[];
  /** How many times an offset was processed (0: never). */
  times(partition: number, offset: number): number;
  fate(partition: number, offset: number): OffsetFate;
  lanes: Lane[];
  /** In time order. */
  marks: Mark[];
}

/** "manual-commit#2" belongs to the row "manual-commit"; any other instance to its own row. */
export const defaultRowOf = (rows: readonly string[]) => (instance: string) =>
  rows.find((row) => instance === row) ?? rows.find((row) => instance.startsWith(`${row}#`)) ?? instance;

const key = (partition: number, offset: number) => `${partition}:${offset}`;

export function buildTimelines(events: readonly HistoryEvent[], result: RunResult, rowOf?: (instance: string) => string): RowTimeline[] {
  const produced = events.filter((e): e is EventOf<'produced'> => e.kind === 'produced');
  const spans = partitionSpans(produced);
  const seqAt = new Map(produced.map((e) => [key(e.partition, e.offset), e.seq]));
  const toRow = rowOf ?? defaultRowOf(result.strategies.map((s) => s.name));
  return result.strategies.map((strategy) => {
    const own = events.filter((e): e is OwnEvent => 'strategy' in e && toRow(e.strategy) === strategy.name);
    return rowTimeline(strategy, own, spans, seqAt);
  });
}

function partitionSpans(produced: readonly EventOf<'produced'>[]): PartitionSpan[] {
  const byPartition = new Map<number, PartitionSpan>();
  for (const e of produced) {
    const span = byPartition.get(e.partition) ?? { partition: e.partition, start: e.offset, end: e.offset + 1 };
    span.start = Math.min(span.start, e.offset);
    span.end = Math.max(span.end, e.offset + 1);
    byPartition.set(e.partition, span);
  }
  return [...byPartition.values()].sort((a, b) => a.partition - b.partition);
}

type OwnEvent = Extract<HistoryEvent, { strategy: string }>;

function rowTimeline(strategy: StrategyResult, own: readonly OwnEvent[], spans: PartitionSpan[], seqAt: Map<string, number>): RowTimeline {
  const counts = new Map<string, number>();
  for (const e of own) if (e.kind === 'processed') counts.set(key(e.partition, e.offset), (counts.get(key(e.partition, e.offset)) ?? 0) + 1);
  // The fate comes from the result (what the checker counted from what survived), the history
  // only says where each message sits.
  const lost = new Set(strategy.lostSeqs);
  const repeated = new Map(strategy.duplicatedSeqs.map((d) => [d.seq, d.times]));
  const times = (partition: number, offset: number) => {
    const seq = seqAt.get(key(partition, offset));
    if (seq !== undefined && repeated.has(seq)) return repeated.get(seq)!;
    if (seq !== undefined && lost.has(seq)) return 0;
    return Math.min(1, counts.get(key(partition, offset)) ?? 0);
  };
  const fate = (partition: number, offset: number): OffsetFate => {
    const n = times(partition, offset);
    if (n >= 2) return 'repeated';
    if (n === 1) return 'once';
    const seq = seqAt.get(key(partition, offset));
    return seq !== undefined && !lost.has(seq) && strategy.lostByRetention > 0 ? 'deleted' : 'lost';
  };
  return { row: strategy.name, members: [...new Set(own.map((e) => e.strategy))], spans, times, fate, lanes: lanes(own), marks: marks(own) };
}

const lifetime = (e: OwnEvent) => `${e.strategy}\u0000${e.incarnation}`;

function lanes(own: readonly OwnEvent[]): Lane[] {
  const byLifetime = new Map<string, Lane>();
  for (const e of own) {
    const lane = byLifetime.get(lifetime(e)) ?? { instance: e.strategy, incarnation: e.incarnation, started: Infinity, runs: [] };
    byLifetime.set(lifetime(e), lane);
    if ('time' in e) lane.started = Math.min(lane.started, e.time);
    if (e.kind !== 'processed') continue;
    const last = lane.runs.at(-1);
    if (last && last.partition === e.partition && last.to === e.offset) last.to++;
    else lane.runs.push({ partition: e.partition, from: e.offset, to: e.offset + 1 });
  }
  return [...byLifetime.values()].sort((a, b) => a.started - b.started || a.instance.localeCompare(b.instance) || a.incarnation - b.incarnation);
}

function marks(own: readonly OwnEvent[]): Mark[] {
  const out: Mark[] = [];
  const lastProcessed = new Map<string, { partition: number; offset: number }>();
  const joinedPartitions = new Map<string, Set<number>>();
  // When each lifetime had read a partition, at the latest: processed events carry no time, so
  // the time of the next event of its own that does bounds it.
  const readBy = new Map<string, { pending: Set<number>; readAt: Map<number, number> }>();
  const fallbacks = new Map<string, 'earliest' | 'latest'>();
  // Where a process really started reading each partition after a join: the first offset it
  // processed there (a joined event's resumeFrom is what the process expected).
  const currentJoin = new Map<string, EventOf<'joined'>>();
  const firstRead = new Map<EventOf<'joined'>, Map<number, number>>();
  for (const e of own) {
    if (e.kind === 'joined') {
      currentJoin.set(lifetime(e), e);
      firstRead.set(e, new Map());
    }
    if (e.kind === 'processed') {
      const join = currentJoin.get(lifetime(e));
      const first = join && firstRead.get(join);
      if (first && !first.has(e.partition)) first.set(e.partition, e.offset);
    }
    const base = { instance: e.strategy, incarnation: e.incarnation };
    const read = readBy.get(lifetime(e)) ?? { pending: new Set<number>(), readAt: new Map<number, number>() };
    readBy.set(lifetime(e), read);
    if (e.kind === 'processed' && !read.readAt.has(e.partition)) read.pending.add(e.partition);
    if ('time' in e) {
      for (const p of read.pending) read.readAt.set(p, e.time);
      read.pending.clear();
    }
    switch (e.kind) {
      case 'processed':
        lastProcessed.set(lifetime(e), { partition: e.partition, offset: e.offset });
        break;
      case 'saved':
      case 'save-failed':
        for (const [p, position] of Object.entries(e.positions)) out.push({ ...base, kind: e.kind, partition: Number(p), position, time: e.time });
        break;
      case 'crash':
      case 'frozen': {
        // Where the process stopped: right after the last message it processed.
        const last = lastProcessed.get(lifetime(e));
        if (last) out.push({ ...base, kind: e.kind, partition: last.partition, position: last.offset + 1, time: e.time });
        break;
      }
      case 'fallback':
        fallbacks.set(lifetime(e), e.policy);
        break;
    }
  }
  // A resume point is where a process starts a partition that a process started before it had
  // read: after a restart, or when the partition moved to it; or where it fell back because its
  // saved position was unusable. Joins in time order: members' files are not interleaved.
  const joins = own.filter((e): e is EventOf<'joined'> => e.kind === 'joined').sort((a, b) => a.time - b.time);
  for (const e of joins) {
    const known = joinedPartitions.get(lifetime(e)) ?? new Set<number>();
    joinedPartitions.set(lifetime(e), known);
    const fallback = fallbacks.get(lifetime(e));
    for (const p of e.partitions) {
      const position = firstRead.get(e)?.get(p) ?? e.resumeFrom[p];
      const fresh = !known.has(p);
      known.add(p);
      const readBefore = [...readBy].some(([other, r]) => other !== lifetime(e) && (r.readAt.get(p) ?? Infinity) <= e.time);
      if (!fresh || position === undefined || (!readBefore && !fallback)) continue;
      out.push({ instance: e.strategy, incarnation: e.incarnation, kind: 'resume', partition: p, position, time: e.time, ...(fallback ? { fallback } : {}) });
    }
  }
  return out.sort((a, b) => a.time - b.time);
}
