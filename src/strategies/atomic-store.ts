import type { Positions } from '../history/events.ts';
import type { Delivery } from '../consumer/port.ts';
import {
  FencedError,
  inWriteTransaction,
  nextOffsets,
  LazyStore,
  readStore,
  positionUnchanged,
  readPositions,
  rowStorePath,
} from './sqlite.ts';
import { type AtomicStoreOptions, type Effect, type StrategyInfo, type StrategyModule, type StrategyPlace, savesAfterEachBatch } from './strategy.ts';

/**
 * Kafka's own recipe ("Storing Offsets Outside Kafka", KafkaConsumer javadoc): auto-commit
 * off; each message's result and the partition's next offset are written in ONE database
 * transaction; on every assignment the consumer seeks to the stored offsets. Result and
 * position cannot disagree, so a crash anywhere repeats deliveries but never effects.
 */

const schema = `
CREATE TABLE IF NOT EXISTS results (partition_id INTEGER NOT NULL, message_offset INTEGER NOT NULL, seq INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS positions (partition_id INTEGER PRIMARY KEY, next_offset INTEGER NOT NULL);
`;
// No unique key on results on purpose: if the design were wrong, repeats would show as
// duplicate rows. The atomicity, not a constraint, is what keeps them out.

export function atomicStorePath(place: Pick<StrategyPlace, 'workDir' | 'row'>): string {
  return rowStorePath(place.workDir, 'store', place.row);
}

function describe(options: AtomicStoreOptions = {}): StrategyInfo {
  return {
    name: 'atomic-store',
    claims: 'effectively-once',
    summary: options.commitToKafka
      ? {
          en: 'result and next offset in one SQLite transaction per batch; also commits to Kafka, only so lag tools see progress',
          zh: '每批在同一个 SQLite 事务里写入结果和下一个 offset；另外向 Kafka 提交，只为让监控工具看到进度',
        }
      : {
          en: 'result and next offset in one SQLite transaction per batch; resumes from the database, never commits to Kafka',
          zh: '每批在同一个 SQLite 事务里写入结果和下一个 offset；从数据库恢复，从不向 Kafka 提交',
        },
  };
}

export const atomicStore: StrategyModule<AtomicStoreOptions> = {
  describe,

  create(runtime, options = {}) {
    const path = atomicStorePath(runtime);
    const lazy = new LazyStore(path, schema);
    const store = () => lazy.db;
    /** Results applied since the last save: they become durable only with their offsets. */
    let pending: Delivery[] = [];
    /** The stored position of each partition as this process last read or wrote it. */
    let known: Positions = {};
    /** Partitions another member moved: their work here is dropped until the next assignment. */
    const fenced = new Set<number>();

    return {
      ...describe(options),
      ...savesAfterEachBatch('database'),

      async open() {
        store();
      },

      resumePlan() {
        // An assignment starts over from the store: whatever was applied but not saved will
        // be delivered again from the stored offsets, so it is dropped here, not saved twice.
        pending = [];
        fenced.clear();
        known = readPositions(store(), 'positions');
        return { from: 'checkpoint', positions: { ...known }, authoritative: true };
      },

      apply(delivery) {
        pending.push(delivery);
      },

      async save(_positions, crashDuringSave) {
        // The positions saved are those of the results saved with them (last offset + 1),
        // so the two cannot disagree whatever the caller's bookkeeping says.
        const batch = pending;
        pending = [];
        const next = nextOffsets(batch);
        const lostOwnership: number[] = [];
        const write = () => inWriteTransaction(store(), () => {
          const writable = Object.keys(next).map(Number).filter((partition) => {
            const ok = !fenced.has(partition) && positionUnchanged(store(), 'positions', partition, known[partition]);
            if (!ok) lostOwnership.push(partition);
            return ok;
          });
          const rows = batch.filter((d) => writable.includes(d.partition));
          const insert = store().prepare('INSERT INTO results (partition_id, message_offset, seq) VALUES (?, ?, ?)');
          const half = Math.floor(rows.length / 2);
          rows.forEach((d, i) => {
            if (i === half) crashDuringSave?.();
            insert.run(d.partition, d.offset, d.seq);
          });
          if (rows.length === 0) crashDuringSave?.();
          const upsert = store().prepare(
            'INSERT INTO positions (partition_id, next_offset) VALUES (?, ?) ON CONFLICT (partition_id) DO UPDATE SET next_offset = excluded.next_offset',
          );
          const saved: Positions = {};
          for (const partition of writable) {
            upsert.run(partition, next[partition]!);
            saved[partition] = next[partition]!;
          }
          return saved;
        });
        let written: Positions;
        try {
          written = write();
        } catch (error) {
          // Rolled back (disk full, a lock not granted in time): keep the batch for the next save.
          pending = [...batch, ...pending];
          throw error;
        }
        Object.assign(known, written);
        for (const partition of lostOwnership) fenced.add(partition);
        if (options.commitToKafka && Object.keys(written).length > 0) {
          // Monitoring only: resume never reads these. A failed commit (a rebalance under
          // way) changes nothing that matters; the next batch commits absolute positions again.
          await runtime.consumer.commit(written).catch(() => undefined);
        }
        if (lostOwnership.length > 0) {
          throw new FencedError(lostOwnership, 'another member moved the stored offset; this batch\'s results there were dropped');
        }
      },

      async close() {
        lazy.close();
      },
    };
  },

  async readEffects(context) {
    const path = atomicStorePath(context);
    return readStore(path, (db) => {
        const effects: Effect[] = db
          .prepare('SELECT partition_id, message_offset, seq FROM results ORDER BY rowid')
          .all()
          .map((row) => ({ partition: Number(row.partition_id), offset: Number(row.message_offset), seq: Number(row.seq) }));
        const positions = readPositions(db, 'positions');
        const stored = Object.entries(positions).map(([p, next]) => `p${p}→${next}`).join(', ');
        return { effects, source: `${path} (results table, ${effects.length} rows; stored offsets ${stored || 'none'})` };
    });
  },
};
