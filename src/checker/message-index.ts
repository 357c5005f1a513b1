import type { EventOf } from '../history/events.ts';

/**
 * The produced messages as one dense array: every (partition, offset) gets a slot, so the
 * checker counts with typed arrays instead of string-keyed maps (millions of events a second).
 */
export class MessageIndex {
  /** Slots in all. */
  readonly size: number;
  readonly #first = new Map<number, number>();
  readonly #base = new Map<number, number>();
  readonly #span = new Map<number, number>();
  /** seq + 1 per slot; 0: nothing was produced there. */
  readonly #seqs: Int32Array;
  /** Produced twice at the same offset: a history that cannot be trusted. */
  readonly doubles: string[] = [];

  constructor(produced: ReadonlyArray<EventOf<'produced'>>) {
    const bounds = new Map<number, { min: number; max: number }>();
    for (const e of produced) {
      const b = bounds.get(e.partition);
      if (!b) bounds.set(e.partition, { min: e.offset, max: e.offset });
      else if (e.offset < b.min) b.min = e.offset;
      else if (e.offset > b.max) b.max = e.offset;
    }
    let size = 0;
    for (const [p, { min, max }] of [...bounds].sort((a, b) => a[0] - b[0])) {
      this.#first.set(p, min);
      this.#base.set(p, size);
      this.#span.set(p, max - min + 1);
      size += max - min + 1;
    }
    this.size = size;
    this.#seqs = new Int32Array(size);
    for (const e of produced) {
      const slot = this.slot(e.partition, e.offset);
      if (this.#seqs[slot] !== 0) this.doubles.push(`${e.partition}:${e.offset}`);
      this.#seqs[slot] = e.seq + 1;
    }
  }

  /** The message's slot, or −1 when nothing could have been produced there. */
  slot(partition: number, offset: number): number {
    const first = this.#first.get(partition);
    if (first === undefined || offset < first || offset - first >= this.#span.get(partition)!) return -1;
    return this.#base.get(partition)! + offset - first;
  }

  /** The seq produced at a slot, or undefined when none was. */
  seqAt(slot: number): number | undefined {
    const stored = slot < 0 ? 0 : this.#seqs[slot]!;
    return stored === 0 ? undefined : stored - 1;
  }
}
