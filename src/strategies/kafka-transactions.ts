import type { Producer, Transaction } from 'kafkajs';
import { formatOutputRecord, readOutputTopic } from '../effects/output-topic.ts';
import { FencedError } from './sqlite.ts';
import { type KafkaTransactionsOptions, type StrategyInfo, type StrategyModule, savesAfterEachBatch } from './strategy.ts';

/**
 * Consume–transform–produce with Kafka transactions: one output record per input message,
 * written to the output topic inside a transaction that also carries the input offsets
 * (sendOffsets); one transaction per batch and input partition. Output and position commit
 * together or not at all, and read_committed readers never see an aborted attempt.
 *
 * kafkajs 2.2.4 implements sendOffsets with TxnOffsetCommit v0–1, which carries no group
 * member or generation (KIP-447's fencing is not there). Zombies are fenced only by the
 * transactional id: it is derived from the input partition, so whoever the group gives that
 * partition to initialises the same id, which bumps the epoch and aborts the old owner's
 * open transaction. A process SIGKILLed with an open transaction holds back every
 * read_committed reader of the partitions it wrote to (the last stable offset stops there)
 * until the next owner initialises the id, or until the broker aborts it after the
 * transaction timeout; kafkajs' default is 60 s, 10 s keeps the lesson moving when no new
 * owner comes (the broker checks for expired transactions every 10 s by default).
 */

const fencingErrors = new Set(['INVALID_PRODUCER_EPOCH', 'PRODUCER_FENCED']);
function isFenced(error: unknown): boolean {
  const e = error as { type?: string; cause?: { type?: string } } | undefined;
  return fencingErrors.has(e?.type ?? '') || fencingErrors.has(e?.cause?.type ?? '');
}

export function transactionalIdFor(groupId: string, partition: number): string {
  return `${groupId}-tx-${partition}`;
}

function describe(_options: KafkaTransactionsOptions = {}): StrategyInfo {
  return {
    name: 'kafka-transactions',
    claims: 'effectively-once',
    summary: {
      en: 'writes its output to a topic in a Kafka transaction together with the input offsets (sendOffsets), one per batch and partition',
      zh: '在 Kafka 事务中把输出写入一个 topic，并用 sendOffsets 在同一事务里提交输入 offset，每批每个分区一个事务',
    },
  };
}

interface OpenTransaction {
  transaction: Transaction;
  /** The first input offset in it: where to read again if it is aborted. */
  first: number;
  next: number;
}

export const kafkaTransactions: StrategyModule<KafkaTransactionsOptions> = {
  describe,
  needsOutputTopic: true,
  // Its transactional producer is kafkajs': on another consumer it would be half one client, half the other.
  unsupportedOn: {
    platformatic:
      "the lab's kafka-transactions is built on kafkajs' transactional producer; @platformatic/kafka's own transactions (TxnOffsetCommit v3+, with the group's generation and member id: KIP-447) are not wired into the lab yet",
  },

  create(runtime, options = {}) {
    const transactionTimeout = options.transactionTimeoutMs ?? 10_000;
    const producers = new Map<number, Producer>();
    const open = new Map<number, OpenTransaction>();
    /** Producers being let go (abort, disconnect): a new one for the partition waits for it. */
    const retiring = new Map<number, Promise<void>>();
    /** Partitions whose producer was fenced: another member owns them until our next assignment. */
    const fenced = new Set<number>();
    let fencedSinceSave: number[] = [];

    const retire = (partition: number, { abort }: { abort: boolean }) => {
      const entry = open.get(partition);
      const producer = producers.get(partition);
      open.delete(partition);
      producers.delete(partition);
      const previous = retiring.get(partition);
      retiring.set(
        partition,
        (async () => {
          await previous;
          if (abort) await entry?.transaction.abort().catch(() => undefined);
          await producer?.disconnect().catch(() => undefined);
        })(),
      );
    };
    const fence = (partition: number) => {
      fenced.add(partition);
      fencedSinceSave.push(partition);
      retire(partition, { abort: false });
    };

    /** Per partition: deliveries below this offset were already output by a committed transaction. */
    const alreadyCommitted = new Map<number, number>();
    /** Partitions whose committed offset was checked after this assignment's InitProducerId. */
    const checked = new Set<number>();

    /** Undefined: this delivery's output was committed before (see below); skip it. */
    async function transactionFor(partition: number, offset: number): Promise<OpenTransaction | undefined> {
      const current = open.get(partition);
      if (current) return current;
      await retiring.get(partition);
      let producer = producers.get(partition);
      if (!producer) {
        producer = runtime.kafka.producer({
          transactionalId: transactionalIdFor(runtime.groupId, partition),
          idempotent: true,
          maxInFlightRequests: 1,
          transactionTimeout,
        });
        await producer.connect();
        producers.set(partition, producer);
      }
      // The first transaction() sends InitProducerId with the transactional id: it bumps the
      // epoch (fencing any older producer of this id) and aborts that producer's open transaction.
      const transaction = await producer.transaction();
      if (!checked.has(partition)) {
        // kafkajs' OffsetFetch (v1-4) has no require_stable (KIP-447): a position fetched while
        // the previous owner's commit was still writing its markers can be stale. InitProducerId
        // returns only once that transaction is complete, so the group's offset read now is
        // final: deliveries below it were output already.
        const committed = (await runtime.consumer.committedOffsets())[partition];
        checked.add(partition);
        if (committed !== undefined && offset < committed) {
          alreadyCommitted.set(partition, committed);
          runtime.consumer.seek(partition, committed);
          await transaction.abort(); // nothing was sent in it: kafkajs ends it locally
          return undefined;
        }
      }
      const entry = { transaction, first: offset, next: offset };
      open.set(partition, entry);
      return entry;
    }

    return {
      ...describe(options),
      ...savesAfterEachBatch('transaction'),

      async open() {
        if (!runtime.outputTopic) throw new Error('kafka-transactions needs an output topic (needsOutputTopic), and none was given');
      },

      resumePlan() {
        // A new assignment: the group's committed offsets (written by committed transactions)
        // decide. Open transactions belong to the old assignment; their input comes again.
        for (const partition of new Set([...producers.keys(), ...open.keys()])) retire(partition, { abort: true });
        fenced.clear();
        alreadyCommitted.clear();
        checked.clear();
        return { from: 'kafka' };
      },

      async apply({ partition, offset, seq }) {
        if (fenced.has(partition)) return; // a zombie's delivery: the new owner writes this output
        if (offset < (alreadyCommitted.get(partition) ?? 0)) return;
        try {
          const entry = await transactionFor(partition, offset);
          if (!entry) return;
          await entry.transaction.send({
            topic: runtime.outputTopic!,
            messages: [{ key: String(partition), value: formatOutputRecord({ partition, offset, seq }) }],
          });
          entry.next = offset + 1;
        } catch (error) {
          if (isFenced(error)) return fence(partition);
          // Whatever failed, this transaction cannot be trusted: abort it and read its input again.
          const first = open.get(partition)?.first;
          retire(partition, { abort: true });
          if (first !== undefined) runtime.consumer.seek(partition, first);
          throw error;
        }
      },

      async save(_positions, crashDuringSave) {
        // The offsets sent are those of the output in the same transaction, never the caller's.
        let crash = crashDuringSave;
        for (const [partition, entry] of [...open]) {
          try {
            await entry.transaction.sendOffsets({
              consumerGroupId: runtime.groupId,
              topics: [{ topic: runtime.topic, partitions: [{ partition, offset: String(entry.next) }] }],
            });
            crash?.(); // dies with the transaction open: output and offsets sent, not committed
            crash = undefined;
            await entry.transaction.commit();
            open.delete(partition);
          } catch (error) {
            if (isFenced(error)) {
              fence(partition);
              continue;
            }
            // Aborted: read this transaction's input again, or it would be skipped.
            retire(partition, { abort: true });
            runtime.consumer.seek(partition, entry.first);
            throw error;
          }
        }
        crash?.();
        if (fencedSinceSave.length > 0) {
          const partitions = fencedSinceSave;
          fencedSinceSave = [];
          throw new FencedError(partitions, 'another producer initialised the same transactional id; this transaction was aborted');
        }
      },

      async close() {
        for (const partition of [...producers.keys()]) retire(partition, { abort: true });
        await Promise.all(retiring.values());
      },
    };
  },

  async readEffects(context) {
    const topic = context.outputTopic;
    if (!topic) throw new Error(`row ${context.row}: kafka-transactions has no output topic to read back`);
    // read_uncommitted first: it learns where the log ends, which the read_committed reader
    // must reach (past any transaction still open when it started).
    const uncommitted = await readOutputTopic(context.kafka, topic, 'read_uncommitted', { groupId: `${topic}-read-uncommitted` });
    const committed = await readOutputTopic(context.kafka, topic, 'read_committed', { groupId: `${topic}-read-committed`, until: uncommitted.ends });
    const aborted = uncommitted.records.length - committed.records.length;
    return {
      effects: committed.records,
      source:
        `${topic}, read_committed: ${committed.records.length} records; ` +
        `a read_uncommitted reader sees ${uncommitted.records.length} (${aborted} from aborted transactions)` +
        (committed.unreadable ? `; ${committed.unreadable} unreadable values` : ''),
    };
  },
};
