import type { EventOf, HistoryEvent } from '../history/events.ts';
import type { RunResult, StrategyResult } from '../runner/run-result.ts';
import { OffsetTable } from './offset-table.ts';

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

type OwnEvent = Extract<HistoryEvent, { strategy: string }>;

/** One process lifetime of one instance, as the fold sees it. */
interface Lifetime {
  lane: Lane;
  lastProcessed: { partition: number; offset: number } | undefined;
  /** When it had read each partition, at the latest: processed events carry no time, so the time of its next event that does bounds it. */
  pending: Set<number>;
  readAt: Map<number, number>;
  join: { event: EventOf<'joined'>; firstRead: Map<number, number> } | undefined;
  fallback: 'earliest' | 'latest' | undefined;
}

/** One row's part of the fold: its members' lifetimes, processed offsets, marks and joins. */
class RowFold {
  readonly members = new Set<string>();
  /** 1 where a member processed the offset (the fate's counts come from the result). */
  readonly processed = new OffsetTable();
  readonly lifetimes = new Map<string, Map<number, Lifetime>>();
  readonly marks: Mark[] = [];
  readonly joins: Array<{ event: EventOf<'joined'>; firstRead: Map<number, number> }> = [];
}

/**
 * The timelines as a fold over the history, in history order (the produced events first, as
 * the runner's file holds them): per message a few bytes in typed arrays, per process lifetime
 * its runs of consecutive offsets and its marks. `finish` sets it beside the result.
 */
export class TimelineFold {
  readonly #result: RunResult;
  readonly #toRow: (instance: string) => string;
  readonly #rows = new Map<string, RowFold>();
  readonly #seqs = new OffsetTable();
  readonly #spans = new Map<number, PartitionSpan>();

  constructor(result: RunResult, rowOf?: (instance: string) => string) {
    this.#result = result;
    this.#toRow = rowOf ?? defaultRowOf(result.strategies.map((s) => s.name));
    for (const s of result.strategies) this.#rows.set(s.name, new RowFold());
  }

  add(e: HistoryEvent): void {
    if (e.kind === 'produced') return this.#produced(e);
    if (!('strategy' in e)) return;
    const row = this.#rows.get(this.#toRow(e.strategy));
    // Only offsets that were produced are drawn (and kept): a stray one is the checker's problem.
    const span = e.kind === 'processed' ? this.#spans.get(e.partition) : undefined;
    if (e.kind === 'processed' && !(span && e.offset >= span.start && e.offset < span.end)) row?.members.add(e.strategy);
    else if (row) addOwn(row, e);
  }

  finish(): RowTimeline[] {
    const spans = [...this.#spans.values()].sort((a, b) => a.partition - b.partition);
    return this.#result.strategies.map((strategy) => rowTimeline(strategy, this.#rows.get(strategy.name)!, spans, this.#seqs));
  }

  #produced(e: EventOf<'produced'>): void {
    const span = this.#spans.get(e.partition) ?? { partition: e.partition, start: e.offset, end: e.offset + 1 };
    span.start = Math.min(span.start, e.offset);
    span.end = Math.max(span.end, e.offset + 1);
    this.#spans.set(e.partition, span);
    this.#seqs.set(e.partition, e.offset, e.seq + 1);
  }
}

export function buildTimelines(events: Iterable<HistoryEvent>, result: RunResult, rowOf?: (instance: string) => string): RowTimeline[] {
  const fold = new TimelineFold(result, rowOf);
  for (const e of events) if (e.kind === 'produced') fold.add(e);
  for (const e of events) if (e.kind !== 'produced') fold.add(e);
  return fold.finish();
}

/** Timelines already folded from a run's files (src/report/publish.ts), drawn by several reports. */
export class FoldedTimelines {
  readonly rows: readonly RowTimeline[];
  constructor(rows: readonly RowTimeline[]) {
    this.rows = rows;
  }
}

/** What a report draws its timelines from: events held in memory (tests), or timelines folded once. */
export type TimelineSource = Iterable<HistoryEvent> | FoldedTimelines;

export const timelinesOf = (source: TimelineSource, result: RunResult, rowOf?: (instance: string) => string): readonly RowTimeline[] =>
  source instanceof FoldedTimelines ? source.rows : buildTimelines(source, result, rowOf);

function lifetimeOf(row: RowFold, e: OwnEvent): Lifetime {
  let lives = row.lifetimes.get(e.strategy);
  if (!lives) row.lifetimes.set(e.strategy, (lives = new Map()));
  let life = lives.get(e.incarnation);
  if (!life) {
    const lane: Lane = { instance: e.strategy, incarnation: e.incarnation, started: Infinity, runs: [] };
    lives.set(e.incarnation, (life = { lane, lastProcessed: undefined, pending: new Set(), readAt: new Map(), join: undefined, fallback: undefined }));
  }
  return life;
}

function addOwn(row: RowFold, e: OwnEvent): void {
  row.members.add(e.strategy);
  const life = lifetimeOf(row, e);
  if ('time' in e) {
    life.lane.started = Math.min(life.lane.started, e.time);
    for (const p of life.pending) life.readAt.set(p, e.time);
    life.pending.clear();
  }
  const base = { instance: e.strategy, incarnation: e.incarnation };
  switch (e.kind) {
    case 'processed': {
      row.processed.set(e.partition, e.offset, 1);
      const last = life.lane.runs.at(-1);
      if (last && last.partition === e.partition && last.to === e.offset) last.to++;
      else life.lane.runs.push({ partition: e.partition, from: e.offset, to: e.offset + 1 });
      if (life.join && !life.join.firstRead.has(e.partition)) life.join.firstRead.set(e.partition, e.offset);
      if (!life.readAt.has(e.partition)) life.pending.add(e.partition);
      if (life.lastProcessed) {
        life.lastProcessed.partition = e.partition;
        life.lastProcessed.offset = e.offset;
      } else life.lastProcessed = { partition: e.partition, offset: e.offset };
      break;
    }
    case 'joined':
      row.joins.push((life.join = { event: e, firstRead: new Map() }));
      break;
    case 'saved':
    case 'save-failed':
      for (const [p, position] of Object.entries(e.positions)) row.marks.push({ ...base, kind: e.kind, partition: Number(p), position, time: e.time });
      break;
    case 'crash':
    case 'frozen': {
      // Where the process stopped: right after the last message it processed.
      const last = life.lastProcessed;
      if (last) row.marks.push({ ...base, kind: e.kind, partition: last.partition, position: last.offset + 1, time: e.time });
      break;
    }
    case 'fallback':
      life.fallback = e.policy;
      break;
  }
}

function rowTimeline(strategy: StrategyResult, row: RowFold, spans: PartitionSpan[], seqs: OffsetTable): RowTimeline {
  // The fate comes from the result (what the checker counted from what survived), the history
  // only says where each message sits.
  const lost = new Set(strategy.lostSeqs);
  const repeated = new Map(strategy.duplicatedSeqs.map((d) => [d.seq, d.times]));
  const seqAt = (partition: number, offset: number) => {
    const stored = seqs.get(partition, offset);
    return stored === 0 ? undefined : stored - 1;
  };
  const times = (partition: number, offset: number) => {
    const seq = seqAt(partition, offset);
    if (seq !== undefined && repeated.has(seq)) return repeated.get(seq)!;
    if (seq !== undefined && lost.has(seq)) return 0;
    return row.processed.get(partition, offset);
  };
  const fate = (partition: number, offset: number): OffsetFate => {
    const n = times(partition, offset);
    if (n >= 2) return 'repeated';
    if (n === 1) return 'once';
    const seq = seqAt(partition, offset);
    return seq !== undefined && !lost.has(seq) && strategy.lostByRetention > 0 ? 'deleted' : 'lost';
  };
  const lives = [...row.lifetimes.values()].flatMap((m) => [...m.values()]);
  const lanes = lives.map((l) => l.lane).sort((a, b) => a.started - b.started || a.instance.localeCompare(b.instance) || a.incarnation - b.incarnation);
  return { row: strategy.name, members: [...row.members], spans, times, fate, lanes, marks: [...row.marks, ...resumeMarks(row, lives)].sort((a, b) => a.time - b.time) };
}

/**
 * A resume point is where a process starts a partition that a process started before it had
 * read: after a restart, or when the partition moved to it; or where it fell back because its
 * saved position was unusable. Joins in time order: members' files are not interleaved.
 */
function resumeMarks(row: RowFold, lives: readonly Lifetime[]): Mark[] {
  const out: Mark[] = [];
  const joinedPartitions = new Map<Lifetime, Set<number>>();
  const lifeOf = (e: EventOf<'joined'>) => row.lifetimes.get(e.strategy)!.get(e.incarnation)!;
  for (const { event: e, firstRead } of [...row.joins].sort((a, b) => a.event.time - b.event.time)) {
    const life = lifeOf(e);
    const known = joinedPartitions.get(life) ?? new Set<number>();
    joinedPartitions.set(life, known);
    for (const p of e.partitions) {
      const position = firstRead.get(p) ?? e.resumeFrom[p];
      const fresh = !known.has(p);
      known.add(p);
      const readBefore = lives.some((other) => other !== life && (other.readAt.get(p) ?? Infinity) <= e.time);
      if (!fresh || position === undefined || (!readBefore && !life.fallback)) continue;
      out.push({ instance: e.strategy, incarnation: e.incarnation, kind: 'resume', partition: p, position, time: e.time, ...(life.fallback ? { fallback: life.fallback } : {}) });
    }
  }
  return out;
}
