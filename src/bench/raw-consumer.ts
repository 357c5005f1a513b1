/**
 * The bench's baseline: plain kafkajs, one consumer, `eachMessage` writing one JSON line per
 * message with the same durable sink the harness uses (a synchronous write on an open
 * descriptor), nothing else. Prints { messages, ms } measured from the group join to the last
 * message, and exits. Args: brokers topic groupId sinkPath expectedMessages.
 */
import { openSync, writeSync } from 'node:fs';
import { consumerSettings, createKafka } from '../kafka/client.ts';
import { decodeSeq } from '../kafka/messages.ts';

const [brokers = '', topic = '', groupId = '', sinkPath = '', expected = '0'] = process.argv.slice(2);
const total = Number(expected);
const kafka = createKafka(brokers.split(','), `kol-bench-raw-${process.pid}`);
const consumer = kafka.consumer({ groupId, ...consumerSettings(3000) });
const sink = openSync(sinkPath, 'a');
let joinedAt = 0;
let seen = 0;
consumer.on(consumer.events.GROUP_JOIN, () => (joinedAt ||= performance.now()));
await consumer.connect();
await consumer.subscribe({ topic, fromBeginning: true });
await new Promise<void>((done) => {
  void consumer.run({
    eachMessage: async ({ partition, message }) => {
      writeSync(sink, JSON.stringify({ kind: 'processed', partition, offset: Number(message.offset), seq: decodeSeq(message.value) }) + '\n');
      if (++seen === total) done();
    },
  });
});
const ms = performance.now() - joinedAt;
process.stdout.write(JSON.stringify({ messages: seen, ms }) + '\n');
await consumer.disconnect();
process.exit(0);
