/**
 * Counts for strategies that save every B processed messages when the first fetch holds every
 * partition whole (src/model/fetch-model.ts): the processed messages are the partitions one
 * after another, in an order kafkajs does not fix; the predictions are min/max over orders.
 */
import type { Prediction } from '../runner/scenario.ts';
import { fetchRounds } from './fetch-model.ts';
import { distinctOrders, narrowest } from './orders.ts';

/** The partition and offset of the n-th processed message (1-based) when partitions come in this order. */
function locate(order: readonly number[], n: number): { index: number; offset: number } {
  let before = 0;
  for (let index = 0; index < order.length; index++) {
    if (n <= before + order[index]!) return { index, offset: n - 1 - before };
    before += order[index]!;
  }
  throw new Error(`message ${n} is past the ${before} fetched`);
}

/**
 * How many partitions had a message among the first m processed (the partitions a save after
 * message m names): fewest when the largest partition batches come first, most when the smallest do.
 */
export function partitionsTouched(messages: number, partitions: number, m: number): Prediction {
  if (m === 0) return 0;
  const first = fetchRounds(messages, partitions).rounds[0]!.filter((c) => c > 0);
  const total = first.reduce((a, b) => a + b, 0);
  if (m > total) return first.length; // every partition was in the first fetch, and all of it was processed
  const cover = (sorted: number[]) => {
    let sum = 0;
    for (let t = 0; t < sorted.length; t++) if ((sum += sorted[t]!) >= m) return t + 1;
    return sorted.length;
  };
  return narrowest(cover([...first].sort((a, b) => b - a)), cover([...first].sort((a, b) => a - b)));
}

/**
 * commit-before-process: at the first message of every batch (message n0 ≡ 1 mod B) the
 * strategy commits what it processed so far on every partition plus, on the partition of
 * message n0 (at offset o), min(o + B, that partition's end). Killed before processing message c:
 * - c on the same partition as n0: the rest of the committed range on it is skipped (lost);
 * - c on a later partition: n0's partition was finished (committed its end); the partitions
 *   begun after n0 had nothing committed and are read again from the start (duplicated).
 * Undefined when there are too many partition orders to go through.
 */
export function commitBeforeProcessCounts(
  sizes: number[],
  batch: number,
  c: number,
): { lost: Prediction; duplicated: Prediction; outcomes?: Array<{ lost: number; duplicated: number }> } | undefined {
  const orders = distinctOrders(sizes.filter((s) => s > 0));
  if (!orders) return undefined;
  const n0 = Math.floor((c - 1) / batch) * batch + 1;
  let lost = [Infinity, -Infinity];
  let dup = [Infinity, -Infinity];
  const outcomes = new Map<string, { lost: number; duplicated: number }>();
  for (const order of orders) {
    const q = locate(order, n0);
    const r = locate(order, c);
    const l = r.index === q.index ? Math.min(q.offset + batch, order[q.index]!) - r.offset : 0;
    const d = r.index === q.index ? 0 : c - n0 - (order[q.index]! - q.offset);
    outcomes.set(`${l}/${d}`, { lost: l, duplicated: d });
    lost = [Math.min(lost[0]!, l), Math.max(lost[1]!, l)];
    dup = [Math.min(dup[0]!, d), Math.max(dup[1]!, d)];
  }
  const exact = outcomes.size === 1;
  return { lost: narrowest(lost[0]!, lost[1]!), duplicated: narrowest(dup[0]!, dup[1]!), ...(exact ? {} : { outcomes: [...outcomes.values()] }) };
}
