import { readOutputTopic, formatOutputRecord } from '../effects/output-topic.ts';
import { TransactionFencedError, type OpenTransaction, type TransactionalProducer } from '../consumer/transactions.ts';
import { FencedError } from './sqlite.ts';
import { type KafkaTransactionsOptions, type StrategyInfo, type StrategyModule, savesAfterEachBatch } from './strategy.ts';

/**
 * Consume–transform–produce with Kafka transactions: one output record per input message,
 * written to the output topic inside a transaction that also carries the input offsets;
 * one transaction per batch and input partition (per-partition ids) or per batch (one id per
 * process). A batch's output is sent at its save, in one request, then its offsets, then the
 * commit. Output and position commit together or not at all, and read_committed readers
 * never see an aborted attempt. The producer is the client's (src/consumer/transactions.ts).
 *
 * Who fences a zombie (a member that lost its partitions and wakes to save):
 * - the transactional id, when it is derived from the input partition (the default):
 *   whoever the group gives that partition initialises the same id, which bumps the epoch
 *   (aborting the old owner's transaction if it had sent anything) on both clients;
 * - the group (KIP-447), when the offsets carry the member id and generation they were
 *   fetched under: @platformatic/kafka does (TxnOffsetCommit v3+), kafkajs does not
 *   (TxnOffsetCommit v0–1). With one id per process only the group can fence.
 * A process SIGKILLed with an open transaction holds back every read_committed reader of the
 * partitions it wrote to until the id is initialised again or the transaction times out
 * (default 10 s here; the broker checks for expired transactions every 10 s by default).
 */

export function transactionalIdFor(groupId: string, partition: number): string {
  return `${groupId}-tx-${partition}`;
}
export function processTransactionalId(groupId: string, instance: string): string {
  return `${groupId}-tx-process-${instance}`;
}

function describe(options: KafkaTransactionsOptions = {}): StrategyInfo {
  const perProcess = options.transactionalId === 'per-process';
  return {
    name: 'kafka-transactions',
    claims: 'effectively-once',
    summary: perProcess
      ? {
          en: 'writes its output to a topic in a Kafka transaction together with the input offsets, one per batch, with one transactional id per process',
          zh: '在 Kafka 事务中把输出写入一个 topic，并在同一事务里提交输入 offset，每批一个事务，每个进程一个 transactional id',
        }
      : {
          en: 'writes its output to a topic in a Kafka transaction together with the input offsets, one per batch and partition',
          zh: '在 Kafka 事务中把输出写入一个 topic，并在同一事务里提交输入 offset，每批每个分区一个事务',
        },
  };
}

/**
 * A transaction and the input it holds, per input partition: where it starts (read again if
 * aborted) and the next offset; and its output, sent at the save in one request with the
 * offsets after it (one produce request per batch, as the Java producer batches its sends;
 * kafkajs makes one request of every send call, ~1.2 ms each here, 100 per batch).
 */
interface OpenWork {
  transaction: OpenTransaction;
  inputs: Map<number, { first: number; next: number }>;
  output: Array<{ key: string; value: string }>;
  /** The save in flight: letting the producer go waits for it. */
  busy: Promise<unknown>;
}

export const kafkaTransactions: StrategyModule<KafkaTransactionsOptions> = {
  describe,
  needsOutputTopic: true,
  unsupportedOn: (options) =>
    options.transactionalId === 'per-process'
      ? {
          kafkajs:
            "with one transactional id per process only the group could fence a zombie, and kafkajs' sendOffsets carries no member id or generation (TxnOffsetCommit v0–1): its stale commit would be accepted, and what it commits next depends on when kafkajs notices it was removed, so there is no exact count",
        }
      : {},

  create(runtime, options = {}) {
    const transactionTimeoutMs = options.transactionTimeoutMs ?? 10_000;
    const perProcess = options.transactionalId === 'per-process';
    /** One producer (and at most one open transaction) per slot: the input partition, or the process. */
    const slotOf = (partition: number) => (perProcess ? -1 : partition);
    const producers = new Map<number, TransactionalProducer>();
    const open = new Map<number, OpenWork>();
    /** Producers being let go (abort, close): a new one for the slot waits for it. */
    const retiring = new Map<number, Promise<void>>();
    /** Partitions whose transaction was fenced: another member owns them until our next assignment. */
    const fenced = new Set<number>();
    let fencedSinceSave: Array<{ partitions: number[]; error: TransactionFencedError }> = [];

    const retire = (slot: number, { abort }: { abort: boolean }) => {
      const work = open.get(slot);
      const producer = producers.get(slot);
      open.delete(slot);
      producers.delete(slot);
      const previous = retiring.get(slot);
      retiring.set(
        slot,
        (async () => {
          await previous;
          await work?.busy.catch(() => undefined);
          if (abort) await work?.transaction.abort().catch(() => undefined);
          await producer?.close().catch(() => undefined);
        })(),
      );
    };
    const fence = (slot: number, work: OpenWork, error: TransactionFencedError) => {
      const partitions = [...work.inputs.keys()];
      for (const partition of partitions) fenced.add(partition);
      fencedSinceSave.push({ partitions, error });
      retire(slot, { abort: false });
    };

    /** Per partition: deliveries below this offset were already output by a committed transaction. */
    const alreadyCommitted = new Map<number, number>();
    /** Partitions whose committed offset was checked after this assignment's InitProducerId. */
    const checked = new Set<number>();

    /** Undefined: this delivery's output was committed before (see below); skip it. */
    async function workFor(partition: number, offset: number): Promise<OpenWork | undefined> {
      const slot = slotOf(partition);
      let work = open.get(slot);
      if (!work) {
        await retiring.get(slot);
        let producer = producers.get(slot);
        if (!producer) {
          if (!runtime.consumer.transactionalProducer) throw new Error('this consumer port has no transactions');
          const transactionalId = perProcess ? processTransactionalId(runtime.groupId, runtime.instance) : transactionalIdFor(runtime.groupId, partition);
          producer = runtime.consumer.transactionalProducer({ transactionalId, transactionTimeoutMs });
          producers.set(slot, producer);
        }
        // The producer's first begin sends InitProducerId: it bumps the id's epoch (fencing any
        // older producer of this id) and aborts that producer's open transaction.
        work = { transaction: await producer.begin(), inputs: new Map(), output: [], busy: Promise.resolve() };
        open.set(slot, work);
      }
      if (!checked.has(partition)) {
        // Neither client's OffsetFetch asks require_stable (KIP-447): a position fetched while
        // the previous owner's commit was still writing its markers can be stale. With an id per
        // partition, InitProducerId returns only once that transaction is complete, so the
        // group's offset read now is final: deliveries below it were output already.
        const committed = (await runtime.consumer.committedOffsets())[partition];
        checked.add(partition);
        if (committed !== undefined && offset < committed) {
          alreadyCommitted.set(partition, committed);
          runtime.consumer.seek(partition, committed);
          return undefined;
        }
      }
      return work;
    }

    /** Sends the work's output and input offsets and commits; fenced: aborted and remembered, other errors: aborted and read again. */
    async function commit(slot: number, work: OpenWork, crashDuringSave?: () => void): Promise<void> {
      try {
        const positions = Object.fromEntries([...work.inputs].map(([partition, { next }]) => [partition, next]));
        await work.transaction.send(runtime.outputTopic!, work.output);
        await work.transaction.sendOffsets(runtime.topic, positions);
        crashDuringSave?.(); // dies with the transaction open: output and offsets sent, not committed
        await work.transaction.commit();
        if (open.get(slot) === work) open.delete(slot);
      } catch (error) {
        // Fenced by the id: the broker aborted it. Otherwise abort now, before the refused save ends
        // this process: left open, it would hold back read_committed readers until it times out.
        if (!(error instanceof TransactionFencedError && error.by === 'transactional-id')) await work.transaction.abort().catch(() => undefined);
        if (error instanceof TransactionFencedError) return fence(slot, work, error);
        retire(slot, { abort: false });
        for (const [partition, { first }] of work.inputs) runtime.consumer.seek(partition, first);
        throw error;
      }
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
        for (const slot of new Set([...producers.keys(), ...open.keys()])) retire(slot, { abort: true });
        fenced.clear();
        alreadyCommitted.clear();
        checked.clear();
        return { from: 'kafka' };
      },

      async apply({ partition, offset, seq }) {
        if (fenced.has(partition)) return; // a zombie's delivery: the new owner writes this output
        if (offset < (alreadyCommitted.get(partition) ?? 0)) return;
        let work: OpenWork | undefined;
        try {
          work = await workFor(partition, offset);
        } catch (error) {
          // Beginning the transaction or reading the group's offset failed: abort what the slot
          // holds and read this input again.
          retire(slotOf(partition), { abort: true });
          runtime.consumer.seek(partition, offset);
          throw error;
        }
        if (!work) return;
        work.output.push({ key: String(partition), value: formatOutputRecord({ partition, offset, seq }) });
        const input = work.inputs.get(partition);
        if (input) input.next = offset + 1;
        else work.inputs.set(partition, { first: offset, next: offset + 1 });
      },

      async save(_positions, crashDuringSave) {
        // The offsets sent are those of the output in the same transaction, never the caller's.
        let crash = crashDuringSave;
        for (const [slot, work] of [...open]) {
          if (work.inputs.size === 0) continue;
          const saving = commit(slot, work, crash);
          crash = undefined;
          work.busy = saving;
          await saving;
        }
        crash?.();
        if (fencedSinceSave.length > 0) {
          const refusals = fencedSinceSave;
          fencedSinceSave = [];
          const partitions = [...new Set(refusals.flatMap((r) => r.partitions))].sort((a, b) => a - b);
          const how = [...new Set(refusals.map((r) => r.error.message))].join('; ');
          throw new FencedError(partitions, `${how}; nothing of this transaction was committed`);
        }
      },

      async close() {
        for (const slot of [...producers.keys()]) retire(slot, { abort: true });
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
