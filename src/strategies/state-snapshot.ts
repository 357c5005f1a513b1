import type { DatabaseSync } from 'node:sqlite';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addToState, compareStates, mergeStates, stateOf, type KeyedState } from '../effects/keyed-state.ts';
import type { Positions } from '../history/events.ts';
import { FencedError, fileSafe, inWriteTransaction, LazyStore, readStore, positionUnchanged, rowStorePath } from './sqlite.ts';
import { type Effect, type StateSnapshotOptions, type StrategyInfo, type StrategyModule, type StrategyPlace, savesAfterEachBatch } from './strategy.ts';

/**
 * Flink / Spark style: state computed from the stream (count and sum of seq per key) lives in
 * memory and is snapshotted TOGETHER with the partition offsets, atomically, after every
 * batch; a restart restores both and resumes from the snapshot's offsets. The state is then
 * exactly-once. A side effect outside the snapshot (a line appended to an external log per
 * message) is not: after a crash the replayed messages append their lines again.
 *
 * Why SQLite and not one JSON file per row: the members of a row share the snapshot and
 * write it concurrently (a rebalance splits the partitions between them). A single JSON file
 * would need read-merge-rename across processes and lose one member's update when both write
 * at once; a file per partition cannot refuse a zombie's stale write. One SQLite transaction
 * per snapshot is atomic across partitions and processes, and checks that each partition's
 * stored offset is still the one this process restored (compare-and-set fencing).
 */

const schema = `
CREATE TABLE IF NOT EXISTS snapshot (partition_id INTEGER PRIMARY KEY, next_offset INTEGER NOT NULL, state TEXT NOT NULL);
`;

export function snapshotPath(place: Pick<StrategyPlace, 'workDir' | 'row'>): string {
  return rowStorePath(place.workDir, 'snapshot', place.row);
}

export function sideLogPath(place: Pick<StrategyPlace, 'workDir' | 'row'>): string {
  return join(place.workDir, `sidelog-${fileSafe(place.row)}.jsonl`);
}

function describe(options: StateSnapshotOptions = {}): StrategyInfo {
  return {
    name: 'state-snapshot',
    // The effects the table counts are the side log's lines, and those are at-least-once:
    // the snapshot makes the STATE exactly-once (checked separately, `state` in readEffects),
    // not what the process did to the world outside it. Claiming effectively-once here would
    // be the very confusion this row is there to show.
    claims: 'at-least-once',
    summary: {
      en: `snapshots state (count and sum per key, ${keysOf(options)} keys) and offsets together after each batch; exactly-once state, at-least-once side log`,
      zh: `每批之后把状态（每个 key 的计数和总和，共 ${keysOf(options)} 个 key）和 offset 一起做快照；状态恰好一次，外部日志至少一次`,
    },
  };
}

const keysOf = (options: StateSnapshotOptions) => options.keys ?? 10;

interface SnapshotRow {
  next: number;
  state: KeyedState;
}

function readSnapshot(db: DatabaseSync): Map<number, SnapshotRow> {
  const rows = new Map<number, SnapshotRow>();
  for (const row of db.prepare('SELECT partition_id, next_offset, state FROM snapshot').all()) {
    rows.set(Number(row.partition_id), { next: Number(row.next_offset), state: JSON.parse(String(row.state)) as KeyedState });
  }
  return rows;
}

export const stateSnapshot: StrategyModule<StateSnapshotOptions> = {
  describe,

  create(runtime, options = {}) {
    const keys = keysOf(options);
    const sideLog = sideLogPath(runtime);
    const lazy = new LazyStore(snapshotPath(runtime), schema);
    const store = () => lazy.db;
    /** Per partition: its state and position, as restored and then advanced by apply. */
    let live = new Map<number, SnapshotRow>();
    /** The stored offset of each partition as this process last read or wrote it. */
    let known: Positions = {};
    const dirty = new Set<number>();
    const fenced = new Set<number>();

    return {
      ...describe(options),
      ...savesAfterEachBatch('snapshot'),

      async open() {
        store();
      },

      resumePlan() {
        // Every assignment restores state and offsets from the last snapshot: what was
        // applied since is replayed from those offsets, so it must not stay in the state.
        live = readSnapshot(store());
        known = Object.fromEntries([...live].map(([p, row]) => [p, row.next]));
        dirty.clear();
        fenced.clear();
        return { from: 'checkpoint', positions: { ...known }, authoritative: true };
      },

      apply({ partition, offset, seq }) {
        // The side effect outside the snapshot: appended, not fsynced (a SIGKILL keeps the
        // page cache; only a machine crash would lose it, and this lab kills processes).
        appendFileSync(sideLog, `${JSON.stringify({ partition, offset, seq })}\n`);
        const row = live.get(partition) ?? { next: 0, state: {} };
        live.set(partition, row);
        addToState(row.state, seq, keys);
        row.next = offset + 1;
        dirty.add(partition);
      },

      async save(_positions, crashDuringSave) {
        // The offsets snapshotted are those the state was computed up to, never the caller's.
        const changed = [...dirty];
        dirty.clear();
        const lostOwnership: number[] = [];
        const write = () => inWriteTransaction(store(), () => {
          const writable = changed.filter((p) => {
            const ok = !fenced.has(p) && positionUnchanged(store(), 'snapshot', p, known[p]);
            if (!ok) lostOwnership.push(p);
            return ok;
          });
          const upsert = store().prepare(
            `INSERT INTO snapshot (partition_id, next_offset, state) VALUES (?, ?, ?)
             ON CONFLICT (partition_id) DO UPDATE SET next_offset = excluded.next_offset, state = excluded.state`,
          );
          const half = Math.floor(writable.length / 2);
          writable.forEach((p, i) => {
            if (i === half) crashDuringSave?.();
            const row = live.get(p)!;
            upsert.run(p, row.next, JSON.stringify(row.state));
          });
          if (writable.length === 0) crashDuringSave?.();
          for (const p of writable) known[p] = live.get(p)!.next;
        });
        try {
          write();
        } catch (error) {
          // Rolled back: the state is still in memory; snapshot these partitions next time.
          for (const p of changed) dirty.add(p);
          throw error;
        }
        for (const p of lostOwnership) fenced.add(p);
        if (lostOwnership.length > 0) {
          throw new FencedError(lostOwnership, 'another member moved the snapshot on; this state there was not saved');
        }
      },

      async close() {
        lazy.close();
      },
    };
  },

  async readEffects(context, options = {}) {
    const log = sideLogPath(context);
    const lines = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter((l) => l.length > 0) : [];
    const effects: Effect[] = [];
    let torn = 0;
    for (const line of lines) {
      try {
        const { partition, offset, seq } = JSON.parse(line) as Effect;
        effects.push({ partition, offset, seq });
      } catch {
        torn += 1; // a line cut by the kill: not an effect
      }
    }
    const snapshotted = readStore(snapshotPath(context), (db) => mergeStates([...readSnapshot(db).values()].map((row) => row.state)));
    const keys = keysOf(options);
    const expected = stateOf(context.produced.map((m) => m.seq), keys);
    const repeats = effects.length - new Set(effects.map((e) => `${e.partition}@${e.offset}`)).size;
    return {
      effects,
      source: `${log} (${effects.length} lines, ${repeats} repeated${torn ? `, ${torn} torn` : ''})`,
      state: {
        description: `count and sum of seq per key (seq mod ${keys}), from the last snapshot`,
        ...compareStates(snapshotted, expected),
      },
    };
  },
};
