import type { Admin, Kafka } from 'kafkajs';
import type { EventOf, Positions } from '../history/events.ts';
import { waitFor } from '../util/wait-for.ts';
import { encodeMessage } from './messages.ts';

/**
 * Produces messages 1..count, message n to partition (n-1) mod P, with an idempotent
 * producer so a retry can never write a message twice. The offsets come from the broker's
 * acknowledgements, not from assumptions. Each acknowledged chunk's `produced` events go to
 * `onProduced` (the runner's history) as they come: a million of them are never held at once.
 * Returns how many were produced.
 */
export async function produceNumbered(
  kafka: Kafka,
  topic: string,
  {
    count,
    partitions,
    onProduced,
    onProgress,
  }: { count: number; partitions: number; onProduced?: (events: Array<EventOf<'produced'>>) => void; onProgress?: (sent: number) => void },
): Promise<number> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  let sent = 0;
  try {
    const chunk = 500;
    for (let first = 1; first <= count; first += chunk) {
      const seqs = Array.from({ length: Math.min(chunk, count - first + 1) }, (_, i) => first + i);
      const partitionOf = (seq: number) => (seq - 1) % partitions;
      const acks = await producer.send({
        topic,
        acks: -1,
        messages: seqs.map((seq) => ({ ...encodeMessage(seq), partition: partitionOf(seq) })),
      });
      const baseOffset = new Map(acks.map((a) => [a.partition, Number(a.baseOffset)]));
      const nextIndex = new Map<number, number>();
      const produced: Array<EventOf<'produced'>> = [];
      for (const seq of seqs) {
        const partition = partitionOf(seq);
        const index = nextIndex.get(partition) ?? 0;
        nextIndex.set(partition, index + 1);
        const base = baseOffset.get(partition);
        if (base === undefined) throw new Error(`no acknowledgement for partition ${partition} of ${topic}`);
        produced.push({ kind: 'produced', partition, offset: base + index, seq });
      }
      onProduced?.(produced);
      sent += produced.length;
      onProgress?.(sent);
    }
  } finally {
    await producer.disconnect();
  }
  return sent;
}

/** Per partition: the first offset still in the log and the end offset (next offset to be written). */
export async function topicOffsets(admin: Admin, topic: string): Promise<{ logStart: Positions; end: Positions }> {
  const logStart: Positions = {};
  const end: Positions = {};
  // kafkajs' fetchTopicOffsets retries only UNKNOWN_TOPIC_OR_PARTITION and gives up at once on
  // any other error; a loaded broker answered NOT_LEADER_OR_FOLLOWER for a new topic (seen with
  // runs at once): wait on any retriable error, as createTopic does.
  const offsets = await waitFor(() => admin.fetchTopicOffsets(topic), {
    maxWaitMs: 30_000,
    intervalMs: 100,
    description: `the offsets of ${topic}`,
    retryOn: (error) => (error as { retriable?: boolean }).retriable === true,
  });
  for (const p of offsets) {
    logStart[p.partition] = Number(p.low);
    end[p.partition] = Number(p.high);
  }
  return { logStart, end };
}

/**
 * Waits until each topic has `partitions` partitions, every one with a leader. kafkajs's own
 * `waitForLeaders` retries only LEADER_NOT_AVAILABLE, but a KRaft broker's metadata can answer
 * UNKNOWN_TOPIC_OR_PARTITION for a moment after a creation (seen with runs, and test files, at
 * once): this waits on any retriable error.
 */
export async function waitForLeaders(admin: Admin, topics: ReadonlyArray<{ topic: string; partitions: number }>): Promise<void> {
  const names = topics.map((t) => t.topic);
  await waitFor(
    async () => {
      const found = (await admin.fetchTopicMetadata({ topics: names })).topics;
      return topics.every(({ topic, partitions }) => {
        const led = found.find((f) => f.name === topic)?.partitions ?? [];
        return led.length === partitions && led.every((p) => p.leader >= 0);
      });
    },
    { maxWaitMs: 30_000, intervalMs: 100, description: `the leaders of ${names.join(', ')}`, retryOn: (error) => (error as { retriable?: boolean }).retriable === true },
  );
}
