/**
 * kafkajs hands the partition batches of one fetch to the handler one after another, in an
 * order that is not deterministic (measured on 3 partitions: [2,0,1], [1,0,2], [2,1,0],
 * [2,0,1]). Counts that depend on that order are predicted as the min/max over every order.
 */
import type { Prediction } from '../runner/scenario.ts';
import { fetchRounds } from './fetch-model.ts';

/** An exact count when min = max. */
export const narrowest = (min: number, max: number): Prediction => (min === max ? min : { min, max });

/** Every distinct order of a multiset of sizes, or undefined when there are more than `cap`. */
export function distinctOrders(sizes: readonly number[], cap = 5000): number[][] | undefined {
  const counts = new Map<number, number>();
  for (const s of sizes) counts.set(s, (counts.get(s) ?? 0) + 1);
  const values = [...counts.keys()];
  const out: number[][] = [];
  const walk = (prefix: number[]): boolean => {
    if (prefix.length === sizes.length) {
      out.push([...prefix]);
      return out.length <= cap;
    }
    for (const v of values) {
      if (counts.get(v)! === 0) continue;
      counts.set(v, counts.get(v)! - 1);
      prefix.push(v);
      const go = walk(prefix);
      prefix.pop();
      counts.set(v, counts.get(v)! + 1);
      if (!go) return false;
    }
    return true;
  };
  return walk([]) ? out : undefined;
}

/**
 * The crash comes at the x-th message of a fetch whose partition batches have these sizes; the
 * partition batches finished before it were committed. What the restart repeats is x minus the
 * finished batches' sum, over every order: [min, max].
 */
export function unfinishedInRound(chunks: readonly number[], x: number): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  const distinct = [...new Set(chunks.filter((c) => c > 0))];
  for (const crashChunk of distinct) {
    // subset sums of the other chunks, below x
    const reach = new Uint8Array(x);
    reach[0] = 1;
    let skipped = false;
    for (const c of chunks) {
      if (c === 0) continue;
      if (c === crashChunk && !skipped) {
        skipped = true;
        continue;
      }
      for (let t = x - 1 - c; t >= 0; t--) if (reach[t]) reach[t + c] = 1;
    }
    // the crash partition's batch started at T and holds the x-th message: T < x ≤ T + crashChunk
    for (let t = Math.max(0, x - crashChunk); t < x; t++) {
      if (!reach[t]) continue;
      min = Math.min(min, x - t);
      max = Math.max(max, x - t);
    }
  }
  return { min, max };
}

/**
 * What auto-commit (awaited processing) repeats after a crash right after its c-th message,
 * everything produced before it started: the messages of the partition batch it was in,
 * since the batches finished before were committed. Undefined where the 10 MiB response
 * limit would bind (the broker's partition order would decide: not modelled).
 */
export function autoCommitRepeats(messages: number, partitions: number, c: number): Prediction | undefined {
  const { rounds, exceedsMaxBytes } = fetchRounds(messages, partitions);
  if (exceedsMaxBytes) return undefined;
  let before = 0;
  for (const round of rounds) {
    const total = round.reduce((a, b) => a + b, 0);
    if (c <= before + total) {
      const { min, max } = unfinishedInRound(round, c - before);
      return narrowest(min, max);
    }
    before += total;
  }
  throw new Error(`crash after message ${c} but only ${messages} produced`);
}

/** Every partition comes whole in the first fetch (no partition needs a second one). */
export const oneFetchPerPartition = (messages: number, partitions: number): boolean => {
  const { rounds, exceedsMaxBytes } = fetchRounds(messages, partitions);
  return rounds.length === 1 && !exceedsMaxBytes;
};
