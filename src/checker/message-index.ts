import type { Positions } from '../history/events.ts';

/**
 * Every message of the topic as one dense array: each (partition, offset) between the log
 * start and the end offset gets a slot, so the checker counts with typed arrays instead of
 * objects per event (a million messages cost a few megabytes). The slots come from the
 * topic's offsets, known before any event is read; the produced events fill in the seqs.
 */
export class MessageIndex {
  /** Slots in all. */
  readonly size: number;
  /** Partitions in order, with the first offset and first slot of each. */
  readonly #partitions: Array<{ partition: number; first: number; base: number; span: number }> = [];
  readonly #byPartition = new Map<number, { first: number; base: number; span: number }>();
  /** seq + 1 per slot; 0: nothing was produced there. */
  readonly #seqs: Int32Array;
  /** Produced events recorded, wherever they point. */
  produced = 0;
  /** Produced twice at the same offset: a history that cannot be trusted. */
  readonly doubles: string[] = [];
  /** Produced at an offset the topic does not hold: a history that cannot be trusted either. */
  readonly outside: string[] = [];

  constructor(logStartOffsets: Positions, endOffsets: Positions) {
    let size = 0;
    for (const partition of Object.keys(endOffsets).map(Number).sort((a, b) => a - b)) {
      const first = logStartOffsets[partition] ?? 0;
      const span = Math.max(0, endOffsets[partition]! - first);
      const entry = { partition, first, base: size, span };
      this.#partitions.push(entry);
      this.#byPartition.set(partition, entry);
      size += span;
    }
    this.size = size;
    this.#seqs = new Int32Array(size);
  }

  /** Records a produced message. */
  addProduced(partition: number, offset: number, seq: number): void {
    this.produced++;
    const slot = this.slot(partition, offset);
    if (slot < 0) this.outside.push(`${partition}:${offset}`);
    else if (this.#seqs[slot] !== 0) this.doubles.push(`${partition}:${offset}`);
    if (slot >= 0) this.#seqs[slot] = seq + 1;
  }

  /** The message's slot, or −1 when the topic holds no such offset. */
  slot(partition: number, offset: number): number {
    const p = this.#byPartition.get(partition);
    if (p === undefined || offset < p.first || offset - p.first >= p.span) return -1;
    return p.base + offset - p.first;
  }

  /** The seq produced at a slot, or undefined when none was. */
  seqAt(slot: number): number | undefined {
    const stored = slot < 0 ? 0 : this.#seqs[slot]!;
    return stored === 0 ? undefined : stored - 1;
  }

  /** Every slot where a message was produced, partition by partition. */
  forEachProduced(visit: (slot: number, partition: number, offset: number, seq: number) => void): void {
    for (const { partition, first, base, span } of this.#partitions) {
      for (let i = 0; i < span; i++) {
        const stored = this.#seqs[base + i]!;
        if (stored !== 0) visit(base + i, partition, first + i, stored - 1);
      }
    }
  }
}
