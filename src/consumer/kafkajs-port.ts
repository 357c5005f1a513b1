import type { Admin, Consumer, Kafka } from 'kafkajs';
import type { Positions } from '../history/events.ts';
import { consumerSettings } from '../kafka/client.ts';
import { decodeSeq } from '../kafka/messages.ts';
import { waitFor } from '../util/wait-for.ts';
import { KafkajsTransactionalProducer } from './kafkajs-transactions.ts';
import type { ConsumerHandlers, ConsumerPort, RunSettings } from './port.ts';
import type { TransactionalProducer, TransactionalProducerSettings } from './transactions.ts';

export interface KafkajsPortSettings {
  topic: string;
  groupId: string;
  /** Consumer session timeout: what every restart waits for after a SIGKILL. */
  sessionTimeoutMs: number;
  /** How often the consumer heartbeats (ChildConfig.heartbeatIntervalMs). */
  heartbeatIntervalMs: number;
  /** Where the port reports what kafkajs recovers from by itself; default: stderr. */
  log?: (line: string) => void;
}

/** The ConsumerPort on kafkajs: one consumer on one topic, and admin calls for offsets. */
export class KafkajsPort implements ConsumerPort {
  // consumerGroup.sync builds a new OffsetManager: a partition without a commit resolves to fromBeginning again.
  readonly uncommittedOnReassign = 'log-start';
  readonly #kafka: Kafka;
  readonly #consumer: Consumer;
  readonly #topic: string;
  readonly #groupId: string;
  readonly #log: (line: string) => void;
  readonly #heartbeatIntervalMs: number;
  /** kafkajs's heartbeat, from the message being handled. */
  #heartbeat: (() => Promise<void>) | undefined;

  constructor(kafka: Kafka, { topic, groupId, sessionTimeoutMs, heartbeatIntervalMs, log }: KafkajsPortSettings) {
    this.#kafka = kafka;
    const settings = consumerSettings(sessionTimeoutMs, heartbeatIntervalMs);
    this.#consumer = kafka.consumer({ groupId, ...settings });
    this.#heartbeatIntervalMs = settings.heartbeatInterval;
    this.#topic = topic;
    this.#groupId = groupId;
    this.#log = log ?? ((line) => void process.stderr.write(`${line}\n`));
  }

  async run(handlers: ConsumerHandlers, { autoCommit }: RunSettings): Promise<void> {
    const consumer = this.#consumer;
    const topic = this.#topic;
    // GROUP_JOIN is emitted before the first fetch: a seek made synchronously in the handler is
    // in place before any message is fetched (an await before it could lose that race).
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => handlers.onAssigned(payload.memberAssignment[topic] ?? [], payload.memberId));
    consumer.on(consumer.events.COMMIT_OFFSETS, ({ payload }) => {
      const committed: Positions = {};
      for (const t of payload.topics) for (const p of t.partitions) committed[Number(p.partition)] = Number(p.offset);
      handlers.onCommitted(committed);
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart) this.#log(`consumer crashed: ${payload.error.message} (kafkajs restarts it)`);
      else handlers.onFatal(payload.error);
    });
    // How the teaching session's minimum was measured (README, settings): the log shows every silence above 150 ms.
    if (process.env.KOL_LOG_HEARTBEAT_GAPS) {
      let last = 0;
      const gap = (before: string) => {
        const now = Date.now();
        if (last > 0 && now - last > 150) this.#log(`heartbeat gap ${now - last} ms before a ${before} at ${new Date(now).toISOString()}`);
        last = now;
      };
      consumer.on(consumer.events.HEARTBEAT, () => gap('heartbeat'));
      consumer.on(consumer.events.GROUP_JOIN, () => gap('join'));
    }
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: autoCommit !== false,
      ...(autoCommit && autoCommit.intervalMs !== undefined ? { autoCommitInterval: autoCommit.intervalMs } : {}),
      eachMessage: ({ partition, message, heartbeat }) => {
        this.#heartbeat = heartbeat;
        return handlers.onMessage({ partition, offset: Number(message.offset), seq: decodeSeq(message.value) });
      },
    });
  }

  /**
   * kafkajs heartbeats only between messages: a save that waits on a disk or a transaction
   * would silence the member for as long as it takes (measured: up to 1.5 s on 2 busy cores),
   * so a short session would evict a live member. While the work runs, heartbeat on schedule.
   * It is kafkajs's own heartbeat (the call its loop makes after each message; with auto-commit on
   * it commits the resolved offsets when it finds a rebalance, as that call always does). A failed
   * heartbeat (the group is rebalancing) is left for kafkajs to find on its own next one.
   */
  keepAlive<T>(work: Promise<T>): Promise<T> {
    const heartbeat = this.#heartbeat;
    if (heartbeat === undefined) return work;
    const timer = setInterval(() => void heartbeat().catch(() => undefined), this.#heartbeatIntervalMs);
    return work.finally(() => clearInterval(timer));
  }

  seek(partition: number, offset: number): void {
    this.#consumer.seek({ topic: this.#topic, partition, offset: String(offset) });
  }

  pause(): void {
    this.#consumer.pause([{ topic: this.#topic }]);
  }

  resume(): void {
    this.#consumer.resume([{ topic: this.#topic }]);
  }

  async commit(positions: Positions): Promise<void> {
    const topic = this.#topic;
    await this.#consumer.commitOffsets(Object.entries(positions).map(([partition, next]) => ({ topic, partition: Number(partition), offset: String(next) })));
  }

  /** The group's committed offsets (a dead predecessor cannot change them any more). */
  async committedOffsets(): Promise<Positions> {
    const groupId = this.#groupId;
    const [result] = await this.#withAdmin(`the committed offsets of ${groupId}`, (admin) => admin.fetchOffsets({ groupId, topics: [this.#topic] }));
    const committed: Positions = {};
    for (const p of result?.partitions ?? []) if (Number(p.offset) >= 0) committed[p.partition] = Number(p.offset);
    return committed;
  }

  async endOffsets(): Promise<Positions> {
    const offsets = await this.#withAdmin(`the end offsets of ${this.#topic}`, (admin) => admin.fetchTopicOffsets(this.#topic));
    return Object.fromEntries(offsets.map((p) => [p.partition, Number(p.high)]));
  }

  async disconnect(): Promise<void> {
    await this.#consumer.disconnect();
  }

  transactionalProducer(settings: TransactionalProducerSettings): TransactionalProducer {
    return new KafkajsTransactionalProducer(this.#kafka, this.#groupId, settings);
  }

  /** Retries while the broker answers with a retriable error (a fresh broker is still loading its offsets topic). */
  async #withAdmin<T>(what: string, call: (admin: Admin) => Promise<T>): Promise<T> {
    const admin = this.#kafka.admin();
    await admin.connect();
    try {
      return await waitFor(() => call(admin), {
        maxWaitMs: 30_000,
        intervalMs: 100,
        description: what,
        retryOn: (error) => (error as { retriable?: boolean }).retriable === true,
      });
    } finally {
      await admin.disconnect();
    }
  }
}
