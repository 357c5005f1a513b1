import type { Positions } from '../history/events.ts';
import type { ResumePlan } from '../strategies/strategy.ts';
import type { ConsumerPort } from './port.ts';

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
  readonly #uncommittedOnReassign: ConsumerPort['uncommittedOnReassign'];
  #assignments = 0;
  /** Where this process had read its partitions to when Kafka last reassigned them (see assign). */
  #readBefore: Positions = {};
  /** A reassignment whose resume points (the group's commits) are not known yet: nothing is done. */
  #awaitingCommitted = false;

  constructor(logStart: Positions, uncommittedOnReassign: ConsumerPort['uncommittedOnReassign']) {
    this.#logStart = logStart;
    this.#uncommittedOnReassign = uncommittedOnReassign;
  }

  /** A new assignment under this plan; returns the seeks to make now (partition → offset). */
  assign(partitions: number[], plan: ResumePlan): Positions {
    this.resumeFrom = {};
    this.#seekedTo = {};
    // A partition this process kept can resume short of where it got to: when Kafka decides
    // (both clients start it at the group's committed offset again, see refreshCommitted) or an
    // authoritative store does. What it processed there and did not save (a batch, a transaction
    // the new assignment aborted) comes again, so its reads no longer say how far it is: until
    // it reads again, the resume point does (the drain test).
    const reassignedByKafka = this.#assignments++ > 0 && plan.from === 'kafka';
    if (reassignedByKafka) {
      this.#readBefore = Object.fromEntries(partitions.filter((p) => this.next[p] !== undefined).map((p) => [p, this.next[p]!]));
      this.#awaitingCommitted = true;
    }
    for (const p of partitions) {
      const own = this.#ownPosition(p, plan);
      // Where this process got to, on a client that goes on where it was: no seek. The client
      // continues there by itself, and @platformatic/kafka keeps the messages its stream has
      // buffered across a rejoin; a seek (it sets the fetch position) would fetch them again.
      const goesOn = own !== undefined && own === this.next[p] && this.#uncommittedOnReassign === 'where-it-was';
      if (reassignedByKafka || (own !== undefined && own !== this.next[p])) delete this.next[p];
      if (own !== undefined && !goesOn) this.#seekedTo[p] = own;
      this.resumeFrom[p] = own ?? this.next[p] ?? this.committed[p] ?? this.#logStart[p] ?? 0;
    }
    return { ...this.#seekedTo };
  }

  /**
   * The group's commits, read after Kafka reassigned the partitions: where the client resumed
   * each one it has delivered nothing of since. A commit: there (both clients). None: the log
   * start or, on a client that keeps its fetch position, where this process had read to.
   */
  refreshCommitted(fresh: Positions, partitions: number[]): void {
    this.committed = fresh;
    for (const p of partitions) {
      if (this.next[p] !== undefined) continue;
      const kept = this.#uncommittedOnReassign === 'where-it-was' ? this.#readBefore[p] : undefined;
      this.resumeFrom[p] = fresh[p] ?? kept ?? this.#logStart[p] ?? 0;
    }
    this.#awaitingCommitted = false;
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
    return !this.#awaitingCommitted && partitions.every((p) => (this.next[p] ?? this.resumeFrom[p] ?? 0) >= (drainTo[p] ?? 0));
  }

  /** Every partition is read up to these end offsets. */
  reached(drainTo: Positions): boolean {
    const at = (p: number) => this.next[p] ?? this.resumeFrom[p] ?? 0;
    return !this.#awaitingCommitted && Object.entries(drainTo).every(([p, end]) => at(Number(p)) >= end);
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
