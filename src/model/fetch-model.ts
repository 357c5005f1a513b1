/**
 * Where kafkajs 2.2.4's fetches end, computed from the bytes the lab's producer writes.
 *
 * Kafka's part: a fetch returns, per partition, the log from the fetch offset up to
 * maxBytesPerPartition bytes; the client drops a record batch cut at that limit, so a fetch
 * ends on a record-batch boundary (the first batch is returned whole even if larger).
 * kafkajs's part: maxBytesPerPartition 1 MiB and maxBytes 10 MiB by default
 * (src/consumer/index.js), one fetch per broker at a time (src/consumer/fetcher.js `start`:
 * "fetches ... waits for workerQueue to drain and repeats"), the partition batches of one fetch
 * handled one after another (src/consumer/runner.js `handleBatch`), and with auto-commit a
 * commit after each partition batch (`handleBatch` → `autoCommitOffsets`).
 *
 * The producer (src/kafka/topic.ts) sends chunks of 500 messages without timestamps: kafkajs
 * writes one record batch per partition per chunk, timestamp deltas 0 (produce/v3/request.js).
 * Measured on the broker: 100 000 messages on one partition are fetched as
 * 0..20999, 21000..41499, 41500..61999, 62000..82499, 82500..99999 (scripts/measure/fetch-boundaries.ts).
 */
import { encodeMessage } from '../kafka/messages.ts';

export const maxBytesPerPartition = 1024 * 1024;
export const maxBytesPerFetch = 10 * 1024 * 1024;
const produceChunk = 500;
const recordBatchOverhead = 61;

const varIntBytes = (value: number) => {
  let zigzag = value >= 0 ? value * 2 : -value * 2 - 1;
  let bytes = 1;
  while (zigzag >= 128) {
    zigzag = Math.floor(zigzag / 128);
    bytes++;
  }
  return bytes;
};

/** Bytes of one record (v2 format) of message `seq` at position `offsetDelta` in its batch. */
export function recordBytes(seq: number, offsetDelta: number): number {
  const { key, value } = encodeMessage(seq);
  const keyBytes = Buffer.byteLength(key);
  const valueBytes = Buffer.byteLength(value);
  // attributes, timestamp delta 0, offset delta, key, value, no headers
  const body = 1 + 1 + varIntBytes(offsetDelta) + varIntBytes(keyBytes) + keyBytes + varIntBytes(valueBytes) + valueBytes + 1;
  return varIntBytes(body) + body;
}

/** Message number n goes to partition (n−1) mod P: how many each partition holds. */
export const partitionSizes = (messages: number, partitions: number): number[] =>
  Array.from({ length: partitions }, (_, p) => (messages > p ? Math.ceil((messages - p) / partitions) : 0));

/** Per partition, its record batches in log order: messages and bytes. */
export function recordBatches(messages: number, partitions: number): Array<Array<{ count: number; bytes: number }>> {
  const batches = Array.from({ length: partitions }, () => [] as Array<{ count: number; bytes: number }>);
  for (let first = 1; first <= messages; first += produceChunk) {
    const last = Math.min(messages, first + produceChunk - 1);
    const open = new Map<number, { count: number; bytes: number }>();
    for (let seq = first; seq <= last; seq++) {
      const p = (seq - 1) % partitions;
      const batch = open.get(p) ?? { count: 0, bytes: recordBatchOverhead };
      batch.bytes += recordBytes(seq, batch.count);
      batch.count++;
      open.set(p, batch);
    }
    for (const [p, batch] of [...open].sort((a, b) => a[0] - b[0])) batches[p]!.push(batch);
  }
  return batches;
}

export interface FetchRounds {
  /** Per fetch, per partition: how many messages it returned (0 when the partition is done). */
  rounds: number[][];
  /** Some fetch would exceed maxBytes over all partitions: the broker's partition order would decide. */
  exceedsMaxBytes: boolean;
}

/** The fetches a consumer makes from the log start, each partition from where its last fetch ended. */
export function fetchRounds(messages: number, partitions: number): FetchRounds {
  const batches = recordBatches(messages, partitions);
  const next = batches.map(() => 0);
  const rounds: number[][] = [];
  let exceedsMaxBytes = false;
  while (next.some((i, p) => i < batches[p]!.length)) {
    let total = 0;
    const round = batches.map((list, p) => {
      let bytes = 0;
      let count = 0;
      while (next[p]! < list.length) {
        const batch = list[next[p]!]!;
        if (count > 0 && bytes + batch.bytes > maxBytesPerPartition) break;
        bytes += batch.bytes;
        count += batch.count;
        next[p]!++;
      }
      total += bytes;
      return count;
    });
    if (total > maxBytesPerFetch) exceedsMaxBytes = true;
    rounds.push(round);
  }
  return { rounds, exceedsMaxBytes };
}
