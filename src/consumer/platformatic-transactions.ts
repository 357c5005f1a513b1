import { Producer, type ConnectionOptions, type Consumer, type Message } from '@platformatic/kafka';
import type { Positions } from '../history/events.ts';
import { classified, type OpenTransaction, type TransactionalProducer, type TransactionalProducerSettings } from './transactions.ts';

/**
 * The group membership a @platformatic/kafka message was fetched under: the stream copies it
 * from its consumer into every message of a fetch (messages-stream.ts, #pushRecords:
 * `metadata.consumer`), and Transaction.addOffset(message) sends exactly these fields in
 * TxnOffsetCommit v3+ (producer.ts, [kTransactionCommitOffset]): KIP-447.
 */
export interface FetchedUnder {
  groupId: string;
  memberId: string | null;
  generationId: number;
  coordinatorId: number | null;
}

export interface PlatformaticTransactionsContext {
  /** The port's own consumer: AddOffsetsToTxn names its group. */
  consumer: Consumer<Buffer, Buffer, Buffer, Buffer>;
  /** The membership the last delivered message of a partition was fetched under. */
  fetchedUnder(partition: number): FetchedUnder | undefined;
  brokers: string[];
  clientId: string;
  /** What the port's consumer connects with besides the brokers (TLS, SASL): the producer needs the same. */
  connection?: Pick<ConnectionOptions, 'tls' | 'tlsServerName' | 'sasl' | 'connectTimeout' | 'requestTimeout'>;
}

/**
 * Transactions on @platformatic/kafka 1.35. The input offsets go in as the messages they
 * follow, as its API wants (addOffset commits `message.offset + 1` with the membership the
 * message was fetched under), so a zombie's offsets carry its old member id and generation
 * and the group coordinator refuses them, whatever the transactional id.
 */
export class PlatformaticTransactionalProducer implements TransactionalProducer {
  readonly #producer: Producer<Buffer, Buffer, Buffer, Buffer>;
  readonly #context: PlatformaticTransactionsContext;

  constructor(context: PlatformaticTransactionsContext, { transactionalId, transactionTimeoutMs }: TransactionalProducerSettings) {
    this.#context = context;
    this.#producer = new Producer({
      ...context.connection,
      clientId: context.clientId,
      bootstrapBrokers: context.brokers,
      idempotent: true,
      transactionalId,
      // InitProducerId sends these (producer.ts, #initIdempotentProducer), by default 0 and 0: for an id
      // an earlier producer initialised, the broker takes that for a stale producer and answers
      // PRODUCER_FENCED, so a restarted process could never take its id back. -1/-1 asks for a
      // fresh start, as the Java client does: it bumps the epoch and aborts the old open transaction.
      producerId: -1n,
      producerEpoch: -1,
      // InitProducerId sends this as the transaction timeout (producer.ts, #initIdempotentProducer).
      timeout: transactionTimeoutMs,
      // An idempotent producer otherwise retries forever; retriable answers (CONCURRENT_TRANSACTIONS) pass within seconds.
      retries: 50,
      retryDelay: 100,
    });
  }

  async begin(): Promise<OpenTransaction> {
    const transaction = await classified(this.#producer.beginTransaction());
    const { consumer, fetchedUnder } = this.#context;
    // An EndTxn for a transaction that added nothing is refused by the broker: end such a one locally.
    let empty = true;
    const end = (commit: boolean) => (empty ? transaction.cancel() : classified(commit ? transaction.commit() : transaction.abort()));
    return {
      send: async (topic, records) => {
        empty = false;
        await classified(transaction.send({ messages: records.map(({ key, value }) => ({ topic, key: Buffer.from(key), value: Buffer.from(value) })) }));
      },
      sendOffsets: async (topic: string, positions: Positions) => {
        empty = false;
        await classified(transaction.addConsumer(consumer));
        // One at a time: the client deduplicates concurrent commitOffset operations into one.
        for (const [p, next] of Object.entries(positions)) {
          const partition = Number(p);
          const membership = fetchedUnder(partition);
          if (!membership) throw new Error(`no message of ${topic}/${partition} was delivered: no membership to send its offset ${next} under`);
          const lastDelivered = { topic, partition, offset: BigInt(next) - 1n, metadata: { consumer: membership } };
          await classified(transaction.addOffset(lastDelivered as unknown as Message<Buffer, Buffer, Buffer, Buffer>));
        }
      },
      commit: () => end(true),
      abort: () => end(false),
    };
  }

  async close(): Promise<void> {
    await this.#producer.close(true);
  }
}
