import { Consumer, MessagesStreamFallbackModes, MessagesStreamModes, type MessagesStream } from '@platformatic/kafka';
import type { Positions } from '../history/events.ts';
import { decodeSeq } from '../kafka/messages.ts';
import type { PlatformaticSecurity } from '../kafka/security.ts';
import { waitFor } from '../util/wait-for.ts';
import { PlatformaticTransactionalProducer, type FetchedUnder } from './platformatic-transactions.ts';
import type { ConsumerHandlers, ConsumerPort, RunSettings } from './port.ts';
import type { TransactionalProducer, TransactionalProducerSettings } from './transactions.ts';

export interface PlatformaticPortSettings {
  brokers: string[];
  clientId: string;
  topic: string;
  groupId: string;
  /** Consumer session timeout: what every restart waits for after a SIGKILL. */
  sessionTimeoutMs: number;
  /** How often the consumer heartbeats (ChildConfig.heartbeatIntervalMs). */
  heartbeatIntervalMs: number;
  /** How long a request nobody answers is retried (the scenario's retryWindowMs). */
  retryWindowMs: number;
  /** TLS and SASL for an external cluster (src/kafka/security.ts, platformaticSecurity). */
  security?: PlatformaticSecurity;
}

type Stream = MessagesStream<Buffer, Buffer, Buffer, Buffer>;

/**
 * The ConsumerPort on @platformatic/kafka (src/clients/consumer/consumer.ts, messages-stream.ts).
 * Its facts, read from its source, decide the shape:
 * - a stream starts at the LATEST offset unless told (MessagesStream constructor: `mode ?? LATEST`),
 *   and reads the group's commits only in mode COMMITTED (#refreshOffsets): positions in Kafka →
 *   COMMITTED with fallback EARLIEST (what kafkajs' `fromBeginning: true` does);
 * - it has no seek: where a stream starts is a parameter (mode MANUAL, `offsets`), and its
 *   live positions are the public map `offsetsToFetch`, which only the next fetch reads;
 * - its auto-commit records the END of each fetched batch when the batch is pushed into the
 *   stream (#pushRecords → #offsetsToCommit), before the application has consumed it; `true`
 *   commits at once after each fetch, a number commits every so many ms ([kAutocommit]).
 */
export class PlatformaticPort implements ConsumerPort {
  // messages-stream.js #assignOffsets replaces a partition's fetch position only with a commit (offset >= 0).
  readonly uncommittedOnReassign = 'where-it-was';
  readonly #s: PlatformaticPortSettings;
  readonly #consumer: Consumer<Buffer, Buffer, Buffer, Buffer>;
  #stream: Stream | undefined;
  /** Seeks made before the stream exists (the first assignment happens inside consume()). */
  readonly #pendingSeeks = new Map<number, number>();
  #pausedEarly = false;
  #handlers: ConsumerHandlers | undefined;
  /** Per partition, the group membership its last delivered message was fetched under (for transactions). */
  readonly #fetchedUnder = new Map<number, FetchedUnder>();

  constructor(settings: PlatformaticPortSettings) {
    this.#s = settings;
    const { sessionTimeoutMs } = settings;
    this.#consumer = new Consumer({
      clientId: settings.clientId,
      bootstrapBrokers: settings.brokers,
      groupId: settings.groupId,
      sessionTimeout: sessionTimeoutMs,
      heartbeatInterval: settings.heartbeatIntervalMs,
      rebalanceTimeout: sessionTimeoutMs * 2,
      // Default 5000: an idle fetch waits this long for new data; the drain checks progress between fetches.
      maxWaitTime: 100,
      // The same window as the kafkajs consumers (retryWindowMs: ~13 s, broker-restart ~30 s): a fetch
      // or commit sent while the broker restarts is retried until it is back (10 × 500 ms gave up after ~5 s).
      retries: Math.ceil(settings.retryWindowMs / 500),
      retryDelay: 500,
      ...settings.security,
    });
  }

  async run(handlers: ConsumerHandlers, { autoCommit, positions }: RunSettings): Promise<void> {
    const topic = this.#s.topic;
    this.#handlers = handlers;
    // Emitted after SyncGroup, before the stream (re)reads its offsets and fetches: seeks made here come first.
    this.#consumer.on('consumer:group:join', ({ assignments, memberId }) => {
      handlers.onAssigned(assignments?.find((a) => a.topic === topic)?.partitions ?? [], memberId);
    });
    const own = positions === 'own';
    const stream = (await this.#consumer.consume({
      topics: [topic],
      autocommit: autoCommit === false ? false : (autoCommit.intervalMs ?? true),
      ...(own
        ? // The start is a parameter: replaced below by the seeks the first assignment made.
          { mode: MessagesStreamModes.MANUAL, offsets: [{ topic, partition: 0, offset: 0n }] }
        : { mode: MessagesStreamModes.COMMITTED, fallbackMode: MessagesStreamFallbackModes.EARLIEST }),
    })) as Stream;
    this.#stream = stream;
    // The stream has not fetched yet (it is still listing offsets): these are where it starts.
    for (const [partition, offset] of this.#pendingSeeks) this.seek(partition, offset);
    this.#pendingSeeks.clear();
    if (this.#pausedEarly) stream.pause();
    stream.on('autocommit', (error: Error | null, offsets?: Array<{ partition: number; offset: bigint }>) => {
      if (error || !offsets) return; // a rejected auto-commit is retried with the next fetch's offsets
      handlers.onCommitted(Object.fromEntries(offsets.map((o) => [o.partition, Number(o.offset)])));
    });
    stream.on('error', (error: Error) => handlers.onFatal(error));
    // As in the kafkajs port: the log shows every silence between heartbeats above 150 ms.
    if (process.env.KOL_LOG_HEARTBEAT_GAPS) {
      let last = 0;
      const gap = (what: string) => () => {
        const now = Date.now();
        if (last > 0 && now - last > 150) process.stderr.write(`heartbeat gap ${now - last} ms before a ${what} at ${new Date(now).toISOString()}\n`);
        last = now;
      };
      this.#consumer.on('consumer:heartbeat:start', gap('heartbeat'));
      this.#consumer.on('consumer:group:join', gap('join'));
    }
    // Its heartbeats and its auto-commit are timers (consumer.js #heartbeat, messages-stream.ts
    // setInterval). Buffered messages and a handler that never waits on I/O run as one chain of
    // promise callbacks, in which no timer fires: 20 000 buffered messages silenced a member for
    // over its 1.5 s session, and the group evicted it (seen in rebalance-handoff --messages 40000).
    // So the loop lets the event loop run at least every quarter of a heartbeat interval.
    const yieldEveryMs = Math.max(10, Math.round(this.#s.sessionTimeoutMs / 40));
    void (async () => {
      let lastYield = Date.now();
      for await (const message of stream) {
        this.#fetchedUnder.set(message.partition, message.metadata.consumer as FetchedUnder);
        await handlers.onMessage({ partition: message.partition, offset: Number(message.offset), seq: decodeSeq(message.value) });
        if (Date.now() - lastYield >= yieldEveryMs) {
          await new Promise((resolve) => setImmediate(resolve));
          lastYield = Date.now();
        }
      }
    })().catch((error: Error) => handlers.onFatal(error));
  }

  seek(partition: number, offset: number): void {
    if (!this.#stream) this.#pendingSeeks.set(partition, offset);
    else this.#stream.offsetsToFetch.set(`${this.#s.topic}:${partition}`, BigInt(offset));
  }

  pause(): void {
    if (this.#stream) this.#stream.pause();
    else this.#pausedEarly = true;
  }

  resume(): void {
    this.#pausedEarly = false;
    this.#stream?.resume();
  }

  async commit(positions: Positions): Promise<void> {
    const topic = this.#s.topic;
    const offsets = Object.entries(positions).map(([p, next]) => ({ topic, partition: Number(p), offset: BigInt(next), leaderEpoch: -1 }));
    // A commit the coordinator refuses as a stale member's (UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION)
    // is not an error here: consumer.js #commit rejoins the group and sends it again under the new
    // generation (zombie-consumer). Resolved means Kafka stored it.
    await this.#consumer.commit({ offsets });
    this.#handlers?.onCommitted(positions);
  }

  async committedOffsets(): Promise<Positions> {
    const topic = this.#s.topic;
    const partitions = Object.keys(await this.endOffsets()).map(Number);
    const commits = await this.#retry(`the committed offsets of ${this.#s.groupId}`, () => this.#consumer.listCommittedOffsets({ topics: [{ topic, partitions }] }));
    const committed: Positions = {};
    (commits.get(topic) ?? []).forEach((offset, p) => {
      if (offset >= 0n) committed[p] = Number(offset);
    });
    return committed;
  }

  async endOffsets(): Promise<Positions> {
    const topic = this.#s.topic;
    const offsets = await this.#retry(`the end offsets of ${topic}`, () => this.#consumer.listOffsets({ topics: [topic], timestamp: -1n }));
    return Object.fromEntries((offsets.get(topic) ?? []).map((offset, p) => [p, Number(offset)]));
  }

  async disconnect(): Promise<void> {
    await this.#stream?.close();
    await this.#consumer.close(true);
  }

  /** Its offsets go in as the messages they follow, with the membership those were fetched under (KIP-447). */
  transactionalProducer(settings: TransactionalProducerSettings): TransactionalProducer {
    const context = {
      consumer: this.#consumer,
      fetchedUnder: (p: number) => this.#fetchedUnder.get(p),
      brokers: this.#s.brokers,
      clientId: `${this.#s.clientId}-tx`,
      // The producer talks to the same cluster as the consumer: the same TLS and SASL settings.
      ...(this.#s.security ? { connection: this.#s.security } : {}),
    };
    return new PlatformaticTransactionalProducer(context, settings);
  }

  /** A fresh broker may still be loading its offsets topic: retry what it refuses for a while. */
  #retry<T>(what: string, call: () => Promise<T>): Promise<T> {
    return waitFor(call, { maxWaitMs: 30_000, intervalMs: 200, description: what, retryOn: () => true });
  }
}
