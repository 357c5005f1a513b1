/** Per partition, a growing array over the offsets [first, first + length): seqs, or processed flags. */
export class OffsetTable {
  readonly #parts = new Map<number, { first: number; values: Int32Array; length: number }>();
  set(partition: number, offset: number, value: number): void {
    let part = this.#parts.get(partition);
    if (!part) this.#parts.set(partition, (part = { first: offset, values: new Int32Array(1024), length: 0 }));
    if (offset < part.first) {
      // Rare (offsets arrive in order): shift everything to the new first offset.
      const shifted = new Int32Array(Math.max(part.values.length, part.length + part.first - offset) * 2);
      shifted.set(part.values.subarray(0, part.length), part.first - offset);
      part.length += part.first - offset;
      part.values = shifted;
      part.first = offset;
    }
    const at = offset - part.first;
    if (at >= part.values.length) {
      const grown = new Int32Array(Math.max(at + 1, part.values.length * 2));
      grown.set(part.values.subarray(0, part.length));
      part.values = grown;
    }
    part.values[at] = value;
    part.length = Math.max(part.length, at + 1);
  }
  get(partition: number, offset: number): number {
    const part = this.#parts.get(partition);
    const at = part ? offset - part.first : -1;
    return part && at >= 0 && at < part.length ? part.values[at]! : 0;
  }
}
