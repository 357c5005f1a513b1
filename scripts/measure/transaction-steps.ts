/**
 * Measurement (not part of the product): where the time of one Kafka transaction per message
 * goes. Runs N back-to-back transactions the way kafka-transactions saves after every message
 * (begin, send one record to an output topic, send the input offset, commit) and prints the
 * median of each step, and how often AddPartitionsToTxn was answered CONCURRENT_TRANSACTIONS
 * (the previous transaction's markers still being written) and retried.
 *
 * Usage: node bin/node24.mjs scripts/measure/transaction-steps.ts BROKER [N] [kafkajs|platformatic] [RETRY_MS]
 *   BROKER    host:port (npm run broker -- --broker local prints it)
 *   RETRY_MS  kafkajs: the transactional producer's retry.initialRetryTime (the lab's is 100);
 *             platformatic: the producer's retryDelay (its default is 1000)
 */
import '../../src/util/quiet-kafkajs.ts';
import { Producer as PlatformaticProducer } from '@platformatic/kafka';
import kafkajs from 'kafkajs';
import { median } from '../../src/timing/save-cost.ts';

const { Kafka, logLevel } = kafkajs;
const [broker = '', n = '100', client = 'kafkajs', retryMs] = process.argv.slice(2);
if (!/^[^:]+:\d+$/.test(broker) || !/^\d+$/.test(n) || !['kafkajs', 'platformatic'].includes(client) || (retryMs !== undefined && !/^\d+$/.test(retryMs))) {
  process.stderr.write('usage: transaction-steps.ts host:port [N] [kafkajs|platformatic] [RETRY_MS]\n');
  process.exit(2);
}
const count = Number(n);
const run = `txsteps-${Date.now()}`;
/** kafkajs: AddPartitionsToTxn requests sent so far (each one past the first of a transaction is a retry). */
let addPartitionsSent = 0;
/** Why each retry happened: kafkajs' producer log line, platformatic's operation and error. */
const retryCauses = new Map<string, number>();
const tally = (cause: string) => retryCauses.set(cause, (retryCauses.get(cause) ?? 0) + 1);

// The lab's consumer-process client settings (src/consumer/child-main.ts), with a log that counts the retries.
const kafka = new Kafka({
  clientId: run,
  brokers: [broker],
  logLevel: logLevel.ERROR,
  logCreator: () => ({ log }) => {
    if (log.message.startsWith('Failed to send messages')) tally(log.message);
  },
  retry: { retries: 10, initialRetryTime: 100, maxRetryTime: 2000 },
});
const admin = kafka.admin();
await admin.connect();
const input = `${run}-in`;
const output = `${run}-out`;
const groupId = `${run}-group`;
await admin.createTopics({ topics: [input, output].map((topic) => ({ topic, numPartitions: 1, replicationFactor: 1 })), waitForLeaders: true });
const { brokers } = await admin.describeCluster();

type Steps = { begin: number; send: number; offsets: number; commit: number; total: number; retries: number };
const steps: Steps[] = [];
const requests = new Map<string, number[]>();

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await work();
  return [value, performance.now() - start];
}

if (client === 'kafkajs') {
  const producer = kafka.producer({
    transactionalId: `${run}-tx`,
    idempotent: true,
    maxInFlightRequests: 1,
    transactionTimeout: 10_000,
    ...(retryMs !== undefined ? { retry: { initialRetryTime: Number(retryMs) } } : {}),
  });
  producer.on(producer.events.REQUEST, ({ payload }) => {
    requests.set(payload.apiName, [...(requests.get(payload.apiName) ?? []), payload.duration]);
    if (payload.apiName === 'AddPartitionsToTxn') addPartitionsSent++;
  });
  const [, connect] = await timed(() => producer.connect());
  const [, init] = await timed(async () => (await producer.transaction()).abort()); // InitProducerId once, outside the figures
  console.log(`kafkajs: connect ${connect.toFixed(0)} ms, first transaction() (InitProducerId) ${init.toFixed(0)} ms`);
  for (let offset = 0; offset < count; offset++) {
    const sentBefore = addPartitionsSent;
    const start = performance.now();
    const [txn, begin] = await timed(() => producer.transaction());
    const [, send] = await timed(() => txn.send({ topic: output, messages: [{ value: String(offset), partition: 0 }] }));
    const [, offsets] = await timed(() => txn.sendOffsets({ consumerGroupId: groupId, topics: [{ topic: input, partitions: [{ partition: 0, offset: String(offset + 1) }] }] }));
    const [, commit] = await timed(() => txn.commit());
    steps.push({ begin, send, offsets, commit, total: performance.now() - start, retries: addPartitionsSent - sentBefore - 1 });
  }
  await producer.disconnect();
} else {
  const producer = new PlatformaticProducer({
    clientId: run,
    bootstrapBrokers: [broker],
    idempotent: true,
    transactionalId: `${run}-tx`,
    retries: 10,
    retryDelay: (_client: unknown, operation: string, _attempt: number, _retries: number, error: Error) => {
      const codes = ((error as { errors?: Array<{ apiId?: string }> }).errors ?? []).map((e) => e.apiId).join(',');
      tally(`${operation}: ${codes || error.message}`);
      return retryMs !== undefined ? Number(retryMs) : 1000; // 1000: platformatic's default retryDelay
    },
  });
  const retriesSeen = () => [...retryCauses.values()].reduce((a, b) => a + b, 0);
  const coordinatorId = brokers[0]!.nodeId;
  // No member: TxnOffsetCommit with generation -1 and no member id, accepted for a group with no members.
  const consumer = { groupId } as never;
  // The first transaction (InitProducerId, connections) stays out of the figures.
  for (let offset = -1; offset < count; offset++) {
    const retriesBefore = retriesSeen();
    const start = performance.now();
    const [txn, begin] = await timed(() => producer.beginTransaction());
    const [, send] = await timed(() => txn.send({ messages: [{ topic: output, value: Buffer.from(String(Math.max(0, offset))), partition: 0 }] }));
    const message = { topic: input, partition: 0, offset: BigInt(Math.max(0, offset)), metadata: { consumer: { groupId, generationId: -1, memberId: '', coordinatorId } } } as never;
    const [, offsets] = await timed(async () => {
      await txn.addConsumer(consumer);
      await txn.addOffset(message);
    });
    const [, commit] = await timed(() => txn.commit());
    if (offset >= 0) steps.push({ begin, send, offsets, commit, total: performance.now() - start, retries: retriesSeen() - retriesBefore });
  }
  await producer.close();
}

// OffsetFetch without require_stable: read at once, the last commit's markers may not be written yet.
const committedAtOnce = await admin.fetchOffsets({ groupId, topics: [input] });
await new Promise((resolve) => setTimeout(resolve, 500));
const committed = await admin.fetchOffsets({ groupId, topics: [input] });
await admin.deleteTopics({ topics: [input, output] }).catch(() => undefined);
await admin.disconnect();

const ms = (values: number[]) => `${median(values).toFixed(1)} ms`;
const key = (name: keyof Steps) => steps.map((s) => s[name]);
const retried = steps.filter((s) => s.retries > 0);
console.log(`${client}${retryMs !== undefined ? `, retry ${retryMs} ms` : ''}: ${count} transactions, ${(count / (key('total').reduce((a, b) => a + b, 0) / 1000)).toFixed(1)} per second`);
console.log(`  median per transaction: total ${ms(key('total'))} = begin ${ms(key('begin'))} + send ${ms(key('send'))} + offsets ${ms(key('offsets'))} + commit ${ms(key('commit'))}`);
console.log(`  transactions whose first write was retried (kafkajs: AddPartitionsToTxn sent again; platformatic: any retry): ${retried.length}/${count}, retries ${retried.reduce((a, s) => a + s.retries, 0)}`);
if (retried.length > 0 && retried.length < count) {
  const plain = steps.filter((s) => s.retries === 0);
  console.log(`  median total with a retry ${ms(retried.map((s) => s.total))}, without ${ms(plain.map((s) => s.total))}`);
}
for (const [cause, times] of retryCauses) console.log(`  retried ${times}×: ${cause}`);
for (const [api, durations] of requests) console.log(`  ${api}: ${durations.length} requests, median ${ms(durations)} on the wire`);
console.log(`  the group's committed offset: ${committed[0]?.partitions[0]?.offset} (expected ${count}; read right after the last commit: ${committedAtOnce[0]?.partitions[0]?.offset})`);
