import { Admin, Consumer, MessagesStreamFallbackModes, MessagesStreamModes, Producer, type Message } from '@platformatic/kafka';
import { describe, expect, inject, test } from 'vitest';
import { waitFor } from '../../src/util/wait-for.ts';

/**
 * The twin of kafkajs-compat for the second client: everything the lab's PlatformaticPort
 * needs works against the broker in use, and the two facts the lessons rest on are observed
 * on it, not taken from a reading of the source: a stream starts at the latest offset unless
 * told, and its default auto-commit commits the fetched end before the application reads it.
 */
describe('@platformatic/kafka against the broker', () => {
  const brokers = () => inject('brokers');
  const unique = (name: string) => `kol-pcompat-${name}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const base = (clientId: string) => ({ clientId, bootstrapBrokers: brokers(), retries: 10, retryDelay: 300 });
  const group = (groupId: string) => ({ ...base('pcompat'), groupId, sessionTimeout: 3000, heartbeatInterval: 300, rebalanceTimeout: 6000, maxWaitTime: 100 });
  type Stream = AsyncIterable<Message<Buffer, Buffer, Buffer, Buffer>> & { close(): Promise<void>; offsetsToFetch: Map<string, bigint> };

  async function topicWith(admin: Admin, name: string, partitions: number, values: string[]): Promise<string> {
    const topic = unique(name);
    await admin.createTopics({ topics: [topic], partitions, replicas: 1 });
    const producer = new Producer({ ...base('pcompat-producer'), idempotent: true });
    await waitFor(() => producer.send({ messages: values.map((v, i) => ({ topic, value: Buffer.from(v), partition: i % partitions })) }), { maxWaitMs: 20_000, description: 'the first produce' });
    await producer.close();
    return topic;
  }

  /** Reads until `until` says stop; returns "partition@offset" per message. */
  async function read(stream: Stream, until: (seen: string[]) => boolean, onMessage?: (m: Message<Buffer, Buffer, Buffer, Buffer>) => Promise<void>) {
    const seen: string[] = [];
    for await (const m of stream) {
      seen.push(`${m.partition}@${m.offset}`);
      await onMessage?.(m);
      if (until(seen)) break;
    }
    return seen;
  }

  test('create topic, produce, group consume from committed (earliest fallback), commit, committed offsets, a new start position, delete topic', async () => {
    const admin = new Admin(base('pcompat-admin'));
    const topic = await topicWith(admin, 'basic', 2, Array.from({ length: 10 }, (_, i) => `v${i}`));
    const groupId = unique('group');
    const consumer = new Consumer(group(groupId));
    const stream = (await consumer.consume({ topics: [topic], autocommit: false, mode: MessagesStreamModes.COMMITTED, fallbackMode: MessagesStreamFallbackModes.EARLIEST })) as unknown as Stream;
    const seen = await read(stream, (s) => s.length >= 10, (m) => m.commit() as Promise<void>);
    expect(seen.sort()).toEqual(['0@0', '0@1', '0@2', '0@3', '0@4', '1@0', '1@1', '1@2', '1@3', '1@4']);
    const committed = await consumer.listCommittedOffsets({ topics: [{ topic, partitions: [0, 1] }] });
    expect(committed.get(topic)).toEqual([5n, 5n]);
    await stream.close();
    await consumer.close(true);

    // No seek: where a stream starts is a parameter (mode MANUAL).
    const again = new Consumer(group(unique('manual')));
    const manual = (await again.consume({ topics: [topic], autocommit: false, mode: MessagesStreamModes.MANUAL, offsets: [{ topic, partition: 0, offset: 3n }, { topic, partition: 1, offset: 5n }] })) as unknown as Stream;
    expect(await read(manual, (s) => s.length >= 2)).toEqual(['0@3', '0@4']);
    await manual.close();
    await again.close(true);

    await admin.deleteTopics({ topics: [topic] });
    await waitFor(async () => !(await admin.listTopics()).includes(topic), { maxWaitMs: 10_000, description: 'topic deletion' });
    await admin.close();
  });

  test('unless told, a stream starts at the latest offset: messages already in the topic are never read', async () => {
    const admin = new Admin(base('pcompat-admin'));
    const topic = await topicWith(admin, 'latest', 1, ['old0', 'old1', 'old2']);
    const consumer = new Consumer(group(unique('latest')));
    const stream = (await consumer.consume({ topics: [topic], autocommit: false })) as unknown as Stream;
    // Started (it has listed the end offsets): a message produced now is the first it reads.
    await waitFor(() => stream.offsetsToFetch.get(`${topic}:0`) === 3n, { maxWaitMs: 20_000, description: 'the stream at the end offset' });
    const producer = new Producer(base('pcompat-producer'));
    await producer.send({ messages: [{ topic, value: Buffer.from('new'), partition: 0 }] });
    await producer.close();
    expect(await read(stream, (s) => s.length >= 1)).toEqual(['0@3']);
    await stream.close();
    await consumer.close(true);
    await admin.close();
  });

  test('the default auto-commit commits the fetched end before the application has read the batch', async () => {
    const admin = new Admin(base('pcompat-admin'));
    const topic = await topicWith(admin, 'autocommit', 1, Array.from({ length: 50 }, (_, i) => `v${i}`));
    const groupId = unique('auto');
    const consumer = new Consumer(group(groupId));
    const stream = (await consumer.consume({ topics: [topic], mode: MessagesStreamModes.EARLIEST })) as unknown as Stream;
    let committedAfterFirst: bigint | undefined;
    // One message read; the group's committed offset is already the end of what was fetched.
    await read(stream, () => true, async () => {
      await waitFor(async () => ((committedAfterFirst = (await consumer.listCommittedOffsets({ topics: [{ topic, partitions: [0] }] })).get(topic)?.[0]) ?? -1n) >= 0n, { maxWaitMs: 10_000, description: 'a commit' });
    });
    expect(committedAfterFirst).toBe(50n);
    await stream.close();
    await consumer.close(true);
    await admin.close();
  });

  test('transactions: output and the consumed offset commit together (TxnOffsetCommit with the group generation, KIP-447); aborted output is never read', async () => {
    const admin = new Admin(base('pcompat-admin'));
    const input = await topicWith(admin, 'txin', 1, ['in0']);
    const output = unique('txout');
    await admin.createTopics({ topics: [output], partitions: 1, replicas: 1 });
    const groupId = unique('txgroup');
    const consumer = new Consumer(group(groupId));
    const stream = (await consumer.consume({ topics: [input], autocommit: false, mode: MessagesStreamModes.COMMITTED, fallbackMode: MessagesStreamFallbackModes.EARLIEST })) as unknown as Stream;
    const producer = new Producer({ ...base('pcompat-tx'), idempotent: true, transactionalId: unique('txid') });
    await read(stream, () => true, async (message) => {
      const kept = await producer.beginTransaction();
      await kept.send({ messages: [{ topic: output, value: Buffer.from('kept'), partition: 0 }] });
      await kept.addConsumer(consumer);
      await kept.addOffset(message);
      await kept.commit();
    });
    const dropped = await producer.beginTransaction();
    await dropped.send({ messages: [{ topic: output, value: Buffer.from('dropped'), partition: 0 }] });
    await dropped.abort();
    // committed after the aborted record: a reader that reaches it has passed the aborted one
    const after = await producer.beginTransaction();
    await after.send({ messages: [{ topic: output, value: Buffer.from('after'), partition: 0 }] });
    await after.commit();
    await producer.close();
    expect((await consumer.listCommittedOffsets({ topics: [{ topic: input, partitions: [0] }] })).get(input)).toEqual([1n]);
    await stream.close();
    await consumer.close(true);

    // read_committed is the client's default isolation level
    const reader = new Consumer(group(unique('reader')));
    const out = (await reader.consume({ topics: [output], autocommit: false, mode: MessagesStreamModes.EARLIEST })) as unknown as Stream;
    const values: string[] = [];
    await read(out, (seen) => seen.length >= 2, async (m) => void values.push(m.value.toString()));
    expect(values).toEqual(['kept', 'after']);
    await out.close();
    await reader.close(true);
    await admin.close();
  });

  test('transactions: with its default producer id and epoch (0, 0) a restarted producer cannot take its transactional id back (PRODUCER_FENCED); with -1/-1 it can, and the old open transaction is aborted', async () => {
    const admin = new Admin(base('pcompat-admin'));
    const output = unique('txrestart');
    await admin.createTopics({ topics: [output], partitions: 1, replicas: 1 });
    const transactionalId = unique('txid');
    const first = new Producer({ ...base('pcompat-tx1'), idempotent: true, transactionalId });
    const open = await first.beginTransaction();
    await open.send({ messages: [{ topic: output, value: Buffer.from('left open'), partition: 0 }] });
    await first.close(true); // the process is gone; its transaction is still open on the broker

    const restarted = new Producer({ ...base('pcompat-tx2'), idempotent: true, transactionalId, retries: 0 });
    const refused = await restarted.beginTransaction().then(() => undefined, (error: { findBy?(p: string, v: unknown): unknown }) => error);
    expect(refused?.findBy?.('apiId', 'PRODUCER_FENCED')).toBeTruthy();
    await restarted.close(true);

    const fresh = new Producer({ ...base('pcompat-tx3'), idempotent: true, transactionalId, producerId: -1n, producerEpoch: -1 });
    const next = await fresh.beginTransaction(); // InitProducerId: bumps the epoch, aborts 'left open'
    await next.send({ messages: [{ topic: output, value: Buffer.from('after restart'), partition: 0 }] });
    await next.commit();
    await fresh.close();

    const reader = new Consumer(group(unique('reader')));
    const out = (await reader.consume({ topics: [output], autocommit: false, mode: MessagesStreamModes.EARLIEST })) as unknown as Stream;
    const values: string[] = [];
    await read(out, (seen) => seen.length >= 1, async (m) => void values.push(m.value.toString()));
    expect(values).toEqual(['after restart']);
    await out.close();
    await reader.close(true);
    await admin.close();
  });
});
