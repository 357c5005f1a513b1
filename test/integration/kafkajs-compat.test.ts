import { describe, expect, test } from 'vitest';
import { inject } from 'vitest';
import { createKafka } from '../../src/kafka/client.ts';
import { waitFor } from '../../src/util/wait-for.ts';
import { createTopicsAndWait } from './new-topics.ts';

/**
 * kafkajs 2.2.4 (Feb 2023) predates Kafka 4 (KIP-896 removed old protocol versions).
 * This is the proof that everything the harness needs works against the broker in use.
 */
describe('kafkajs 2.2.4 against the broker', () => {
  const kafka = () => createKafka(inject('brokers'), 'compat');
  const unique = (name: string) => `kol-compat-${name}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;

  test('create topic, produce, group consume, commit, fetch committed offsets, seek, delete records, delete topic', async () => {
    const admin = kafka().admin();
    await admin.connect();
    const topic = unique('basic');
    const groupId = unique('group');
    await createTopicsAndWait(admin, [{ topic, numPartitions: 2 }]);

    const producer = kafka().producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic, messages: Array.from({ length: 10 }, (_, i) => ({ value: `v${i}`, partition: i % 2 })) });
    await producer.disconnect();
    expect((await admin.fetchTopicOffsets(topic)).map((p) => p.high).sort()).toEqual(['5', '5']);

    const consumer = kafka().consumer({ groupId, sessionTimeout: 3000, heartbeatInterval: 300, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const seen: string[] = [];
    let seeked = false;
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        seen.push(`${partition}@${message.offset}`);
        await consumer.commitOffsets([{ topic, partition, offset: String(Number(message.offset) + 1) }]);
      },
    });
    await waitFor(() => seen.length >= 10, { maxWaitMs: 30_000, description: '10 messages' });
    expect(await admin.fetchOffsets({ groupId, topics: [topic] })).toEqual([
      { topic, partitions: expect.arrayContaining([expect.objectContaining({ partition: 0, offset: '5' }), expect.objectContaining({ partition: 1, offset: '5' })]) },
    ]);
    // seek moves the position back; the same member reads offset 2 again
    consumer.seek({ topic, partition: 0, offset: '2' });
    seeked = true;
    await waitFor(() => seen.filter((s) => s === '0@2').length === 2, { maxWaitMs: 30_000, description: 'the re-read after seek' });
    expect(seeked).toBe(true);
    await consumer.disconnect();

    await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '3' }] });
    expect((await admin.fetchTopicOffsets(topic)).find((p) => p.partition === 0)?.low).toBe('3');

    await admin.deleteTopics({ topics: [topic] });
    await waitFor(async () => !(await admin.listTopics()).includes(topic), { maxWaitMs: 10_000, description: 'topic deletion' });
    await admin.disconnect();
  });

  test('transactions: committed output and offsets become visible together; aborted output never does', async () => {
    const admin = kafka().admin();
    await admin.connect();
    const topic = unique('tx');
    const groupId = unique('txgroup');
    await createTopicsAndWait(admin, [{ topic, numPartitions: 1 }]);
    const producer = kafka().producer({ transactionalId: unique('txid'), idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();

    const committed = await producer.transaction();
    await committed.send({ topic, messages: [{ value: 'kept' }] });
    await committed.sendOffsets({ consumerGroupId: groupId, topics: [{ topic, partitions: [{ partition: 0, offset: '1' }] }] });
    await committed.commit();

    const aborted = await producer.transaction();
    await aborted.send({ topic, messages: [{ value: 'dropped' }] });
    await aborted.abort();
    await producer.disconnect();

    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    expect(offsets?.partitions[0]?.offset).toBe('1');

    const reader = kafka().consumer({ groupId: unique('reader'), maxWaitTimeInMs: 100, readUncommitted: false });
    await reader.connect();
    await reader.subscribe({ topic, fromBeginning: true });
    const values: string[] = [];
    await reader.run({ eachMessage: async ({ message }) => void values.push(String(message.value)) });
    await waitFor(() => values.length >= 1, { maxWaitMs: 30_000, description: 'the committed message' });
    // give the aborted record a chance to show up if isolation were broken
    await new Promise((r) => setTimeout(r, 500));
    await reader.disconnect();
    expect(values).toEqual(['kept']);
    await admin.disconnect();
  });
});
