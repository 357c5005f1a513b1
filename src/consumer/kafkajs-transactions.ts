import type { Kafka, Producer } from 'kafkajs';
import type { Positions } from '../history/events.ts';
import { classified, type OpenTransaction, type TransactionalProducer, type TransactionalProducerSettings } from './transactions.ts';

/**
 * Transactions on kafkajs 2.2.4. Its sendOffsets sends TxnOffsetCommit v0–1 (kafkajs
 * src/protocol/requests/txnOffsetCommit), which carries no member id or generation: the
 * group coordinator cannot tell a zombie from the partition's owner and accepts the offsets
 * (KIP-447's fencing is not there). Only the transactional id fences.
 */
export class KafkajsTransactionalProducer implements TransactionalProducer {
  readonly #producer: Producer;
  readonly #groupId: string;
  #connected: Promise<void> | undefined;

  constructor(kafka: Kafka, groupId: string, { transactionalId, transactionTimeoutMs }: TransactionalProducerSettings) {
    this.#producer = kafka.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1, transactionTimeout: transactionTimeoutMs });
    this.#groupId = groupId;
  }

  async begin(): Promise<OpenTransaction> {
    await (this.#connected ??= this.#producer.connect());
    const transaction = await classified(this.#producer.transaction());
    const groupId = this.#groupId;
    return {
      send: async (topic, records) => void (await classified(transaction.send({ topic, messages: records }))),
      sendOffsets: (topic: string, positions: Positions) =>
        classified(
          transaction.sendOffsets({
            consumerGroupId: groupId,
            topics: [{ topic, partitions: Object.entries(positions).map(([partition, next]) => ({ partition: Number(partition), offset: String(next) })) }],
          }),
        ),
      commit: () => classified(transaction.commit()),
      // One that added nothing is ended locally by kafkajs, without a request.
      abort: () => classified(transaction.abort()),
    };
  }

  async close(): Promise<void> {
    await this.#producer.disconnect();
  }
}
