import { spawn } from 'node:child_process';
import { describe, expect, inject, test } from 'vitest';
import { formatOutputRecord, readOutputTopic } from '../../src/effects/output-topic.ts';
import { createKafka } from '../../src/kafka/client.ts';
import { waitFor } from '../../src/util/wait-for.ts';
import { kafkaTransactions, transactionalIdFor } from '../../src/strategies/kafka-transactions.ts';
import { deliveries } from '../unit/strategies/fake-runtime.ts';
import { brokerBackedConsumer } from './group-offsets.ts';
import { createTopicsAndWait } from './new-topics.ts';

/**
 * What the kafka-transactions strategy relies on, proven with kafkajs 2.2.4 against the
 * suite's broker: committed output is visible to read_committed readers together with the
 * input offsets; a transaction left open by a SIGKILLed process blocks read_committed
 * readers until a producer with the same transactional id initialises, which aborts it.
 */
describe('Kafka transactions with kafkajs (consume–transform–produce)', () => {
  const brokers = inject('brokers');
  const kafka = createKafka(brokers, 'tx-test');
  const unique = (name: string) => `kol-txtest-${name}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;

  async function setUp() {
    const admin = kafka.admin();
    await admin.connect();
    const topic = unique('in');
    const outputTopic = unique('out');
    await createTopicsAndWait(admin, [{ topic, numPartitions: 1 }, { topic: outputTopic, numPartitions: 1 }]);
    const committedOffset = async (groupId: string) => (await admin.fetchOffsets({ groupId, topics: [topic] }))[0]?.partitions[0]?.offset;
    return { admin, topic, outputTopic, groupId: unique('group'), committedOffset };
  }

  function killedWithOpenTransaction(args: string[], ready: string) {
    const child = spawn(process.execPath, ['test/fixtures/kafka-transaction-crash.ts', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    return new Promise<NodeJS.Signals | null>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes(ready) && child.kill('SIGKILL'));
      child.once('exit', (code, signal) => (signal === 'SIGKILL' ? resolve(signal) : reject(new Error(`fixture exited with ${code}`))));
    });
  }

  test('an open transaction of a killed producer: invisible to read_committed, aborted when its transactional id is initialised again', async () => {
    const { admin, topic, outputTopic, groupId, committedOffset } = await setUp();
    expect(await killedWithOpenTransaction(['raw', brokers.join(','), groupId, topic, outputTopic], 'open')).toBe('SIGKILL');

    // The 3 records are in the log (a read_uncommitted reader sees them) but past the last
    // stable offset: a read_committed reader cannot reach the end, and no offset is committed.
    const before = await readOutputTopic(kafka, outputTopic, 'read_uncommitted', { groupId: unique('ru') });
    expect(before.records).toHaveLength(3);
    expect(before.ends).toEqual(new Map([[0, 3]]));
    // kafkajs' admin asks for the last stable offset: the open transaction starts at 0.
    expect((await admin.fetchTopicOffsets(outputTopic))[0]?.high).toBe('0');
    const blocked = readOutputTopic(kafka, outputTopic, 'read_committed', { groupId: unique('rc'), until: before.ends, maxWaitMs: 3000 });
    await expect(blocked).rejects.toThrow(/timed out/);
    expect(await committedOffset(groupId)).toBe('-1');

    const successor = kafka.producer({ transactionalId: transactionalIdFor(groupId, 0), idempotent: true, maxInFlightRequests: 1, transactionTimeout: 10_000 });
    await successor.connect();
    const started = performance.now();
    const transaction = await successor.transaction(); // InitProducerId: aborts the old one first
    const initMs = performance.now() - started;
    await transaction.send({ topic: outputTopic, messages: [{ value: formatOutputRecord({ partition: 0, offset: 0, seq: 100 }) }] });
    await transaction.sendOffsets({ consumerGroupId: groupId, topics: [{ topic, partitions: [{ partition: 0, offset: '3' }] }] });
    await transaction.commit();
    await successor.disconnect();
    console.log(`InitProducerId over a killed producer's open transaction took ${initMs} ms`);

    const uncommitted = await readOutputTopic(kafka, outputTopic, 'read_uncommitted', { groupId: unique('ru') });
    const committed = await readOutputTopic(kafka, outputTopic, 'read_committed', { groupId: unique('rc'), until: uncommitted.ends });
    expect(committed.records.map((r) => r.seq)).toEqual([100]);
    expect(uncommitted.records.map((r) => r.seq)).toEqual([0, 1, 2, 100]);
    await waitFor(async () => (await committedOffset(groupId)) === '3', { maxWaitMs: 5000, description: 'the transaction\'s offsets' });
    // 3 records, an abort marker, 1 record, a commit marker.
    expect((await admin.fetchTopicOffsets(outputTopic))[0]?.high).toBe('6');
    await admin.deleteTopics({ topics: [topic, outputTopic] });
    await admin.disconnect();
  });

  test('the strategy: a crash between sendOffsets and commit leaves no committed output; the restart writes it once', async () => {
    const { admin, topic, outputTopic, groupId, committedOffset } = await setUp();
    const runtime = () => ({ workDir: '.', instance: 'tx-1', row: 'tx', topic, outputTopic, consumer: brokerBackedConsumer(kafka, groupId, topic), kafka, groupId, incarnation: 1 });
    const context = { workDir: '.', instance: 'runner', row: 'tx', topic, outputTopic, kafka, produced: [] };

    const first = kafkaTransactions.create(runtime(), {});
    await first.open?.();
    expect(first.resumePlan()).toEqual({ from: 'kafka' });
    for (const d of deliveries(0, 0, 5)) await first.apply?.(d);
    await first.save?.({ 0: 5 });
    await first.close?.();
    // EndTxn returns once the commit is decided; the offsets show when its markers are written.
    await waitFor(async () => (await committedOffset(groupId)) === '5', { maxWaitMs: 5000, description: 'the first transaction\'s offsets' });

    // 5..9 written and their offsets sent, then SIGKILL before the commit.
    expect(await killedWithOpenTransaction(['strategy', brokers.join(','), groupId, topic, outputTopic], 'crashing')).toBe('SIGKILL');
    expect(await committedOffset(groupId)).toBe('5');

    const restarted = kafkaTransactions.create(runtime(), {});
    await restarted.open?.();
    restarted.resumePlan(); // resumes at Kafka's committed 5: delivers 5..9 again
    for (const d of deliveries(0, 5, 10)) await restarted.apply?.(d);
    await restarted.save?.({ 0: 10 });
    await restarted.close?.();
    await waitFor(async () => (await committedOffset(groupId)) === '10', { maxWaitMs: 5000, description: 'the restart\'s offsets' });

    // A member whose fetched position is stale (read before the last commit's markers were
    // written) gets 8 and 9 again: after its InitProducerId it sees the group at 10, skips them
    // and seeks there.
    const late = runtime();
    const stale = kafkaTransactions.create(late, {});
    stale.resumePlan();
    for (const d of deliveries(0, 8, 10)) await stale.apply?.(d);
    await stale.save?.({ 0: 10 });
    await stale.close?.();
    expect(late.consumer.seeks).toEqual([{ partition: 0, offset: 10 }]);

    const read = await kafkaTransactions.readEffects!(context, {});
    expect(read.effects).toEqual(deliveries(0, 0, 10));
    expect(read.source).toBe(`${outputTopic}, read_committed: 10 records; a read_uncommitted reader sees 15 (5 from aborted transactions)`);
    await admin.deleteTopics({ topics: [topic, outputTopic] });
    await admin.disconnect();
  });
});
