import type { Guarantee, HistoryEvent, Positions } from '../history/events.ts';
import type { Effect } from '../strategies/strategy.ts';
import type { CheckResult, CheckSetup, Observed, StrategyReport, Verdict } from './check.ts';
import { CrashWindowFold } from './crash-windows.ts';
import { MessageIndex } from './message-index.ts';

/** One instance's part of the count: a few numbers per partition and per process lifetime. */
class InstanceFold {
  readonly crashes = new CrashWindowFold();
  readonly incarnations = new Set<number>();
  /** incarnation → partition → last offset processed: disorder inside one process lifetime. */
  readonly #last = new Map<number, Map<number, number>>();
  outOfOrder = 0;
  delivered = 0;
  /** The furthest position that survived a crash of this instance, per partition. */
  readonly skippedBefore: Positions = {};
  readonly problems: string[] = [];

  processed(incarnation: number, partition: number, offset: number): void {
    this.delivered++;
    let lives = this.#last.get(incarnation);
    if (!lives) this.#last.set(incarnation, (lives = new Map()));
    const previous = lives.get(partition);
    if (previous !== undefined && offset <= previous) this.outOfOrder++;
    lives.set(partition, offset);
  }
}

/**
 * The checker as a fold: events go in one at a time, in history order (the produced ones
 * first, as the runner's file holds them), and the state is per-message counts in typed
 * arrays plus a few positions per instance. A million-message history is never held.
 */
export class CheckFold {
  readonly index: MessageIndex;
  readonly #setup: CheckSetup;
  readonly #instances = new Map<string, InstanceFold>();
  /** Row → deliveries per message slot (its members' processed events). */
  readonly #deliveries = new Map<string, Uint32Array>();
  /** Instance → the delivery counts of the rows it is a member of. */
  readonly #rowsOf = new Map<string, Uint32Array[]>();
  #consumerEventsSeen = false;
  readonly #problems: string[] = [];

  constructor(setup: CheckSetup) {
    this.#setup = setup;
    this.index = new MessageIndex(setup.logStartOffsets, setup.endOffsets);
    for (const row of Object.keys(setup.claims)) {
      const counts = new Uint32Array(this.index.size);
      this.#deliveries.set(row, counts);
      for (const member of this.#members(row)) {
        this.#instance(member);
        const rows = this.#rowsOf.get(member) ?? [];
        rows.push(counts);
        this.#rowsOf.set(member, rows);
      }
    }
  }

  add(e: HistoryEvent): void {
    if (e.kind === 'produced') {
      // A consumer event before a produced one would have been checked against a message not yet known.
      if (this.#consumerEventsSeen && this.#problems.length === 0) this.#problems.push('a produced event follows consumer events: the history is out of order');
      this.index.addProduced(e.partition, e.offset, e.seq);
      return;
    }
    if (!('strategy' in e)) return;
    const instance = this.#instances.get(e.strategy);
    if (!instance) return; // not a member of any row checked
    this.#consumerEventsSeen = true;
    instance.crashes.add(e);
    if (e.kind === 'processed') {
      instance.processed(e.incarnation, e.partition, e.offset);
      const slot = this.#slotOf(e, 'delivered', instance.problems);
      if (slot >= 0) for (const counts of this.#rowsOf.get(e.strategy)!) counts[slot]!++;
    } else if (e.kind === 'started') {
      instance.incarnations.add(e.incarnation);
    } else if (e.kind === 'survived') {
      for (const [p, at] of Object.entries(e.positions)) instance.skippedBefore[Number(p)] = Math.max(instance.skippedBefore[Number(p)] ?? 0, at);
    }
  }

  /** The counts, once every event is in: `effects` are the rows' effects read back from their own stores. */
  finish(effects: Record<string, readonly Effect[]> = {}): CheckResult {
    const problems = [...this.#problems, ...this.#producedProblems()];
    const strategies = Object.entries(this.#setup.claims).map(([row, claims]) => this.#row(row, claims, effects[row]));
    const verdict: Verdict =
      problems.length > 0 || strategies.some((s) => s.verdict === 'unknown')
        ? 'unknown'
        : strategies.every((s) => s.verdict === 'valid')
          ? 'valid'
          : 'invalid';
    return { verdict, produced: this.index.produced, strategies, problems };
  }

  #members(row: string): string[] {
    return this.#setup.members?.[row] ?? [row];
  }

  #instance(name: string): InstanceFold {
    let fold = this.#instances.get(name);
    if (!fold) this.#instances.set(name, (fold = new InstanceFold()));
    return fold;
  }

  /** The message's slot; a record of a message never produced (or produced with another seq) is a problem. */
  #slotOf(e: Effect, verb: string, problems: string[]): number {
    const slot = this.index.slot(e.partition, e.offset);
    const expectedSeq = this.index.seqAt(slot);
    if (expectedSeq === undefined) problems.push(`${verb} ${e.partition}:${e.offset}, which was never produced`);
    else if (expectedSeq !== e.seq) problems.push(`${verb} ${e.partition}:${e.offset} with seq ${e.seq}, produced with seq ${expectedSeq}`);
    return expectedSeq === undefined ? -1 : slot;
  }

  /** The produced events must describe exactly the topic's contents, or no count can be trusted. */
  #producedProblems(): string[] {
    const problems: string[] = [];
    const { logStartOffsets, endOffsets } = this.#setup;
    let inLog = 0;
    for (const [partition, end] of Object.entries(endOffsets)) inLog += end - (logStartOffsets[Number(partition)] ?? 0);
    if (inLog !== this.index.produced) problems.push(`the topic holds ${inLog} messages but the producer recorded ${this.index.produced}`);
    for (const at of this.index.doubles) problems.push(`two produced messages recorded at ${at}`);
    for (const at of this.index.outside) problems.push(`a produced message recorded at ${at}, an offset the topic does not hold`);
    return problems;
  }

  #row(row: string, claims: Guarantee, storedEffects: readonly Effect[] | undefined): StrategyReport {
    const members = this.#members(row).map((name) => this.#instance(name));
    const deliveries = this.#deliveries.get(row)!;
    const problems = members.flatMap((m) => m.problems);
    let times = deliveries;
    if (storedEffects) {
      times = new Uint32Array(this.index.size);
      for (const e of storedEffects) {
        const slot = this.#slotOf(e, 'stored an effect of', problems);
        if (slot >= 0) times[slot]!++;
      }
    }
    const skippedBefore: Positions = {};
    for (const m of members) for (const [p, at] of Object.entries(m.skippedBefore)) skippedBefore[Number(p)] = Math.max(skippedBefore[Number(p)] ?? 0, at);
    const deletedBefore = this.#setup.deletedBefore ?? {};

    const lostSeqs: number[] = [];
    const duplicatedSeqs: Array<{ seq: number; times: number }> = [];
    let duplicated = 0;
    let duplicatedDeliveries = 0;
    let lostByRetention = 0;
    this.index.forEachProduced((slot, partition, offset, seq) => {
      const d = deliveries[slot]!;
      if (d > 1) duplicatedDeliveries += d - 1;
      const n = times[slot]!;
      if (n === 0 && offset < (deletedBefore[partition] ?? 0) && offset >= (skippedBefore[partition] ?? 0)) lostByRetention++;
      else if (n === 0) lostSeqs.push(seq);
      if (n > 1) {
        duplicated += n - 1;
        duplicatedSeqs.push({ seq, times: n });
      }
    });
    lostSeqs.sort((a, b) => a - b);
    duplicatedSeqs.sort((a, b) => a.seq - b.seq);

    const lost = lostSeqs.length;
    const observed: Observed =
      lost === 0 ? (duplicated > 0 ? 'at-least-once' : lostByRetention > 0 ? 'lost-to-retention' : 'exactly-once') : duplicated === 0 ? 'at-most-once' : 'neither';
    const claimHeld = claims === 'at-least-once' ? lost === 0 : claims === 'at-most-once' ? duplicated === 0 : lost === 0 && duplicated === 0;
    const delivered = members.reduce((sum, m) => sum + m.delivered, 0);
    return {
      strategy: row,
      claims,
      observed,
      verdict: problems.length > 0 ? 'unknown' : claimHeld ? 'valid' : 'invalid',
      produced: this.index.produced,
      processed: storedEffects ? storedEffects.length : delivered,
      delivered,
      duplicatedDeliveries,
      lost,
      lostByRetention,
      duplicated,
      outOfOrder: members.reduce((sum, m) => sum + m.outOfOrder, 0),
      restarts: members.reduce((sum, m) => sum + Math.max(0, m.incarnations.size - 1), 0),
      crashes: members.flatMap((m) => m.crashes.windows()),
      lostSeqs,
      duplicatedSeqs,
      problems,
    };
  }
}
