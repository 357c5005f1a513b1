import type { Positions } from '../history/events.ts';
import type { ResumePlan } from '../strategies/strategy.ts';

/**
 * Where one process is on each partition: what it processed, where it resumed and where it
 * seeked on its last assignment. The seek-race guard and the drain test read it.
 */
export class PartitionBook {
  /** Next offset per partition, as this process has processed them. */
  readonly next: Positions = {};
  /** Where this process resumed on each assigned partition (drain bookkeeping; refreshed after a rebalance). */
  resumeFrom: Positions = {};
  /** Where this process seeked on its last assignment: nothing before it may be processed. */
  #seekedTo: Positions = {};
  /** The group's committed offsets, as last read. */
  committed: Positions = {};
  /** The topic's end offsets, read when a fallback resumes at the latest offset. */
  end: Positions = {};
  readonly #logStart: Positions;

  constructor(logStart: Positions) {
    this.#logStart = logStart;
  }

  /** A new assignment under this plan; returns the seeks to make now (partition → offset). */
  assign(partitions: number[], plan: ResumePlan): Positions {
    this.resumeFrom = {};
    this.#seekedTo = {};
    for (const p of partitions) {
      const own = this.#ownPosition(p, plan);
      if (own !== undefined) this.#seekedTo[p] = own;
      this.resumeFrom[p] = own ?? this.next[p] ?? this.committed[p] ?? this.#logStart[p] ?? 0;
    }
    return { ...this.#seekedTo };
  }

  /** Fresh committed offsets after a rebalance: partitions this process has not read resume there. */
  refreshCommitted(fresh: Positions, partitions: number[]): void {
    this.committed = fresh;
    for (const p of partitions) if (this.next[p] === undefined) this.resumeFrom[p] = fresh[p] ?? this.#logStart[p] ?? 0;
  }

  /** The seek point a first message on its partition comes before (the seek raced the fetch), if it does. */
  seekMissedBy(partition: number, offset: number): number | undefined {
    const start = this.#seekedTo[partition];
    return this.next[partition] === undefined && start !== undefined && offset < start ? start : undefined;
  }

  processed(partition: number, offset: number): void {
    this.next[partition] = offset + 1;
  }

  /** These partitions are read up to their end offsets. */
  reachedOn(partitions: readonly number[], drainTo: Positions): boolean {
    return partitions.every((p) => (this.next[p] ?? this.resumeFrom[p] ?? 0) >= (drainTo[p] ?? 0));
  }

  /** Every partition is read up to these end offsets. */
  reached(drainTo: Positions): boolean {
    const at = (p: number) => this.next[p] ?? this.resumeFrom[p] ?? 0;
    return Object.entries(drainTo).every(([p, end]) => at(Number(p)) >= end);
  }

  /**
   * Where a strategy that keeps its own positions continues on a partition it was given:
   * where this process got to if it read the partition before (a rebalance gave it back) —
   * unless its store is authoritative — else its own store (read again on every assignment),
   * else its fallback.
   */
  #ownPosition(p: number, plan: ResumePlan): number | undefined {
    if (plan.from === 'kafka') return undefined;
    const storeDecides = plan.from === 'checkpoint' && plan.authoritative === true;
    if (this.next[p] !== undefined && !storeDecides) return this.next[p];
    // A partition the store does not know starts at the beginning, like a new partition.
    if (plan.from === 'checkpoint') return plan.positions[p] ?? this.#logStart[p] ?? 0;
    return plan.policy === 'latest' ? this.end[p] : (this.#logStart[p] ?? 0);
  }
}
