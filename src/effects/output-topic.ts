import type { Kafka } from 'kafkajs';
import { waitFor } from '../util/wait-for.ts';

/** One output record of the kafka-transactions strategy: the input message it was made from. */
export interface OutputRecord {
  partition: number;
  offset: number;
  seq: number;
}

export type Isolation = 'read_committed' | 'read_uncommitted';

export function formatOutputRecord(input: OutputRecord): string {
  return JSON.stringify({ partition: input.partition, offset: input.offset, seq: input.seq });
}

function parseOutputRecord(value: Buffer | null): OutputRecord | undefined {
  try {
    const parsed = JSON.parse(String(value)) as Partial<OutputRecord>;
    const { partition, offset, seq } = parsed;
    return Number.isInteger(partition) && Number.isInteger(offset) && Number.isInteger(seq) ? { partition: partition!, offset: offset!, seq: seq! } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads a whole output topic once, as a downstream consumer with this isolation level would,
 * in the runner's process after the run.
 *
 * Where "the end" is takes care with transactions. kafkajs' admin.fetchTopicOffsets asks
 * ListOffsets with READ_COMMITTED (its broker/index.js default), so its `high` is the last
 * stable offset, not the high watermark: it stops before a transaction still open. And the
 * log holds control records (commit/abort markers) no reader receives as messages. So a
 * partition is done when the last raw offset of a fetched batch (kafkajs reports it, markers
 * included, in END_BATCH_PROCESS) reached its end:
 * - read_uncommitted (read first, no `until`): the high watermark each fetched batch reports;
 *   a partition without any batch after a whole fetch round is empty if its stable end is 0;
 * - read_committed (`until`: those high watermarks): it cannot pass an open transaction, so
 *   it waits until the broker aborts it (a new owner initialised the id, or the timeout).
 */
export async function readOutputTopic(
  kafka: Kafka,
  topic: string,
  isolation: Isolation,
  { groupId, until, maxWaitMs = 60_000 }: { groupId: string; until?: ReadonlyMap<number, number>; maxWaitMs?: number },
): Promise<{ records: OutputRecord[]; unreadable: number; ends: Map<number, number> }> {
  const admin = kafka.admin();
  await admin.connect();
  const consumer = kafka.consumer({ groupId, readUncommitted: isolation === 'read_uncommitted', maxWaitTimeInMs: 100, sessionTimeout: 6000 });
  try {
    const stableEnds = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
    const reached = new Map<number, number>();
    const highWatermarks = new Map<number, number>();
    const records: OutputRecord[] = [];
    let unreadable = 0;
    let fetches = 0;
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      reached.set(payload.partition, Number(payload.lastOffset) + 1);
      highWatermarks.set(payload.partition, Number(payload.highWatermark));
    });
    consumer.on(consumer.events.FETCH, () => void (fetches += 1));
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ message }) => {
        const record = parseOutputRecord(message.value);
        if (record) records.push(record);
        else unreadable += 1;
      },
    });
    const endOf = (partition: number) =>
      until ? (until.get(partition) ?? 0) : (highWatermarks.get(partition) ?? (fetches > 0 && stableEnds.get(partition) === 0 ? 0 : Infinity));
    const done = () => [...stableEnds.keys()].every((p) => endOf(p) === 0 || (reached.get(p) ?? 0) >= endOf(p));
    await waitFor(done, { maxWaitMs, description: `a ${isolation} reader to reach the end of ${topic}` });
    const ends = new Map([...stableEnds.keys()].map((p) => [p, Math.max(endOf(p), reached.get(p) ?? 0)]));
    return { records, unreadable, ends };
  } finally {
    await consumer.disconnect().catch(() => undefined);
    // The reader's group is the runner's own, under the run's topic name: leave nothing behind.
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}
