import type { DatabaseSync } from 'node:sqlite';
import { LazyStore, readStore, rowStorePath } from './sqlite.ts';
import { type Effect, type IdempotentSinkOptions, type StrategyInfo, type StrategyModule, type StrategyPlace, savesAfterEachBatch } from './strategy.ts';

/**
 * At-least-once delivery made harmless: manual Kafka commits after each batch (like
 * manual-commit), and every result is an UPSERT keyed by (topic, partition, offset), durable
 * before the offset is committed. A crash repeats deliveries; the repeats land on the row
 * that is already there. Deliveries repeat, effects do not.
 */

const schema = `
CREATE TABLE IF NOT EXISTS effects (
  topic TEXT NOT NULL,
  partition_id INTEGER NOT NULL,
  message_offset INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  writes INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (topic, partition_id, message_offset)
);
`;
// `writes` counts how often a row was written: writes - 1 deliveries were absorbed by the upsert.

export function idempotentSinkPath(place: Pick<StrategyPlace, 'workDir' | 'row'>): string {
  return rowStorePath(place.workDir, 'sink', place.row);
}

function describe(_options: IdempotentSinkOptions = {}): StrategyInfo {
  return {
    name: 'idempotent-sink',
    // Delivery is at-least-once; the effects, read back one per stored row, are not repeated.
    claims: 'effectively-once',
    summary: {
      en: 'commits offset+1 to Kafka after each batch; results are upserts keyed by (topic, partition, offset), so repeats change nothing',
      zh: '每批之后向 Kafka 提交 offset+1；结果按 (topic, partition, offset) 做 upsert，重复投递不会产生重复结果',
    },
  };
}

export const idempotentSink: StrategyModule<IdempotentSinkOptions> = {
  describe,

  create(runtime, options = {}) {
    const lazy = new LazyStore(idempotentSinkPath(runtime), schema);
    const store = () => lazy.db;
    let upsert: ReturnType<DatabaseSync['prepare']> | undefined;

    return {
      ...describe(options),
      ...savesAfterEachBatch('kafka-commit'),

      async open() {
        store();
      },

      resumePlan: () => ({ from: 'kafka' }),

      apply({ partition, offset, seq }) {
        // Its own autocommit statement: durable (WAL, synchronous FULL) before apply returns,
        // so before the loop can commit this offset to Kafka.
        upsert ??= store().prepare(
          `INSERT INTO effects (topic, partition_id, message_offset, seq) VALUES (?, ?, ?, ?)
           ON CONFLICT (topic, partition_id, message_offset) DO UPDATE SET writes = writes + 1, seq = excluded.seq`,
        );
        upsert.run(runtime.topic, partition, offset, seq);
      },

      async save(positions, crashDuringSave) {
        // A Kafka commit cannot be torn: dying "during" it means dying before it is sent.
        crashDuringSave?.();
        await runtime.consumer.commit(positions);
      },

      async close() {
        lazy.close();
      },
    };
  },

  async readEffects(context) {
    const path = idempotentSinkPath(context);
    return readStore(path, (db) => {
        const rows = db
          .prepare('SELECT partition_id, message_offset, seq, writes FROM effects WHERE topic = ? ORDER BY partition_id, message_offset')
          .all(context.topic);
        const effects: Effect[] = rows.map((row) => ({ partition: Number(row.partition_id), offset: Number(row.message_offset), seq: Number(row.seq) }));
        const writes = rows.map((row) => Number(row.writes));
        const absorbed = writes.reduce((sum, n) => sum + n - 1, 0);
        const rewritten = writes.filter((n) => n > 1).length;
        return {
          effects,
          source: `${path} (${effects.length} rows from ${effects.length + absorbed} writes: the upsert absorbed ${absorbed} repeated deliveries on ${rewritten} rows)`,
        };
    });
  },
};

