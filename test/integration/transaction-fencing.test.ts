import { Consumer, MessagesStreamFallbackModes, MessagesStreamModes, Producer, type Message } from '@platformatic/kafka';
import { describe, expect, inject, test } from 'vitest';
import { KafkajsTransactionalProducer } from '../../src/consumer/kafkajs-transactions.ts';
import { PlatformaticTransactionalProducer, type FetchedUnder } from '../../src/consumer/platformatic-transactions.ts';
import { TransactionFencedError, type TransactionalProducer } from '../../src/consumer/transactions.ts';
import { formatOutputRecord, readOutputTopic } from '../../src/effects/output-topic.ts';
import { createKafka } from '../../src/kafka/client.ts';
import { waitFor } from '../../src/util/wait-for.ts';
import { createTopicsAndWait } from './new-topics.ts';

/**
 * Who refuses a zombie's transactional offset commit when the transactional id does not fence
 * it (one id per process): the group, on @platformatic/kafka (TxnOffsetCommit v3+ carries the
 * member id and generation the message was fetched under, KIP-447); nobody, on kafkajs
 * (TxnOffsetCommit v0–1 carries neither: the stale offset is committed over the owner's).
 */
describe('transactional offset commits of a member the group no longer has', () => {
  const brokers = () => inject('brokers');
  const kafka = createKafka(inject('brokers'), 'tx-fencing');
  const unique = (name: string) => `kol-txfence-${name}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const base = (clientId: string) => ({ clientId, bootstrapBrokers: brokers(), retries: 10, retryDelay: 300 });
  type Stream = AsyncIterable<Message<Buffer, Buffer, Buffer, Buffer>> & { close(): Promise<void> };

  /** An input topic of 10 messages, an output topic; a platformatic member reads message 0 and then leaves: the zombie. */
  async function zombieOf(groupId: string) {
    const admin = kafka.admin();
    await admin.connect();
    const [topic, output] = [unique('in'), unique('out')];
    await createTopicsAndWait(admin, [{ topic, numPartitions: 1 }, { topic: output, numPartitions: 1 }]);
    const producer = new Producer(base('txfence-producer'));
    await producer.send({ messages: Array.from({ length: 10 }, (_, i) => ({ topic, value: Buffer.from(`v${i}`), partition: 0 })) });
    await producer.close();
    const member = () => new Consumer({ ...base('txfence'), groupId, sessionTimeout: 3000, heartbeatInterval: 300, rebalanceTimeout: 6000, maxWaitTime: 100 });
    const zombie = member();
    const stream = (await zombie.consume({ topics: [topic], autocommit: false, mode: MessagesStreamModes.COMMITTED, fallbackMode: MessagesStreamFallbackModes.EARLIEST })) as unknown as Stream;
    let first: Message<Buffer, Buffer, Buffer, Buffer> | undefined;
    for await (const message of stream) {
      first = message;
      break;
    }
    const fetchedUnder = first!.metadata.consumer as FetchedUnder;
    await stream.close();
    await zombie.close(true); // leaves the group: its member id is gone, as after an expired session
    // The partition's new owner has read and committed up to 5.
    const owner = member();
    await owner.consume({ topics: [topic], autocommit: false, mode: MessagesStreamModes.COMMITTED, fallbackMode: MessagesStreamFallbackModes.EARLIEST });
    await owner.commit({ offsets: [{ topic, partition: 0, offset: 5n, leaderEpoch: -1 }] });
    const committed = async () => (await admin.fetchOffsets({ groupId, topics: [topic] }))[0]?.partitions[0]?.offset;
    expect(await committed()).toBe('5');
    const done = async () => {
      await owner.close(true);
      await admin.deleteTopics({ topics: [topic, output] });
      await admin.disconnect();
    };
    return { topic, output, zombie, fetchedUnder, committed, done };
  }

  /** The zombie's stale work: output for message 0 and its next offset 1, in one transaction. */
  async function staleTransaction(producer: TransactionalProducer, topic: string, output: string) {
    const transaction = await producer.begin();
    await transaction.send(output, [{ key: '0', value: formatOutputRecord({ partition: 0, offset: 0, seq: 0 }) }]);
    return { transaction, sendOffsets: () => transaction.sendOffsets(topic, { 0: 1 }) };
  }

  test('@platformatic/kafka: the group refuses it (UNKNOWN_MEMBER_ID); aborted, nothing of it is read or committed', async () => {
    const groupId = unique('group');
    const { topic, output, zombie, fetchedUnder, committed, done } = await zombieOf(groupId);
    expect(fetchedUnder).toMatchObject({ groupId, generationId: expect.any(Number), memberId: expect.any(String) });
    const context = { consumer: zombie, fetchedUnder: () => fetchedUnder, brokers: brokers(), clientId: 'txfence-zombie' };
    const producer = new PlatformaticTransactionalProducer(context, { transactionalId: unique('process'), transactionTimeoutMs: 10_000 });
    const { transaction, sendOffsets } = await staleTransaction(producer, topic, output);
    const refused = await sendOffsets().then(() => undefined, (error: unknown) => error);
    expect(refused).toBeInstanceOf(TransactionFencedError);
    expect(refused).toMatchObject({ by: 'group', code: 'UNKNOWN_MEMBER_ID' });
    await transaction.abort();
    await producer.close();
    expect(await committed()).toBe('5');
    const uncommitted = await readOutputTopic(kafka, output, 'read_uncommitted', { groupId: unique('ru') });
    const read = await readOutputTopic(kafka, output, 'read_committed', { groupId: unique('rc'), until: uncommitted.ends });
    expect([uncommitted.records.length, read.records.length]).toEqual([1, 0]);
    await done();
  });

  test('kafkajs: nothing refuses it; the stale offset replaces the owner\'s commit', async () => {
    const groupId = unique('group');
    const { topic, output, committed, done } = await zombieOf(groupId);
    const producer = new KafkajsTransactionalProducer(kafka, groupId, { transactionalId: unique('process'), transactionTimeoutMs: 10_000 });
    const { transaction, sendOffsets } = await staleTransaction(producer, topic, output);
    await sendOffsets();
    await transaction.commit();
    await producer.close();
    // The owner is still a member and had committed 5: the group now says 1.
    await waitFor(async () => (await committed()) === '1', { maxWaitMs: 5000, description: 'the stale offset committed' });
    await done();
  });
});
