/**
 * Measurement (not part of the product): where kafkajs 2.2.4's fetches end on this broker for
 * the lab's numbered messages. Produces N messages over P partitions the way every run does,
 * then consumes with eachBatch (no commits) and prints each partition batch's first/last offset
 * in fetch order. Usage: node bin/node24.mjs scripts/measure/fetch-boundaries.ts N P
 */
import { startBroker } from '../../src/broker/choose.ts';
import { createKafka, consumerSettings } from '../../src/kafka/client.ts';
import { produceNumbered } from '../../src/kafka/topic.ts';

const [n = 100_000, p = 1] = process.argv.slice(2).map(Number);
const broker = await startBroker('local', { logPath: '/tmp/truth-measure-broker.log' });
try {
  const kafka = createKafka(broker.brokers, 'measure');
  const admin = kafka.admin();
  await admin.connect();
  const topic = `measure-${Date.now()}`;
  await admin.createTopics({ topics: [{ topic, numPartitions: p, replicationFactor: 1 }] });
  await produceNumbered(kafka, topic, { count: n, partitions: p });
  const consumer = kafka.consumer({ groupId: `g-${topic}`, ...consumerSettings(3000) });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  const lines: string[] = [];
  await new Promise<void>((resolve) => {
    void consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        lines.push(`p${batch.partition} ${batch.firstOffset()}..${batch.lastOffset()} (${batch.messages.length})`);
        seen += batch.messages.length;
        if (seen >= n) resolve();
      },
    });
  });
  console.log(lines.join('\n'));
  await consumer.disconnect();
  await admin.disconnect();
} finally {
  await broker.stop();
}
