import { DatabaseSync } from 'node:sqlite';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Positions } from '../history/events.ts';
import { fileSafe } from '../util/file-safe.ts';
export { fileSafe } from '../util/file-safe.ts';

/**
 * The embedded database the "offsets outside Kafka, done right" strategies keep their store
 * in (node:sqlite, SQLite inside Node). One file per table row, shared by the row's members:
 * a partition's stored position follows it to whichever member gets it.
 */

export function rowStorePath(workDir: string, prefix: string, row: string): string {
  return join(workDir, `${prefix}-${fileSafe(row)}.sqlite`);
}

/**
 * Opens (creating if needed) a store for writing. WAL + synchronous=FULL: a COMMIT that
 * returned is on disk, a transaction a SIGKILL interrupted is rolled back on the next open.
 * The busy timeout lets two members of a row take turns writing.
 */
export function openStore(path: string, schema: string): DatabaseSync {
  const db = new DatabaseSync(path, { timeout: 10_000 });
  // Both members of a row open the new file at once: switching it to WAL needs a lock SQLite
  // does not wait for (SQLITE_BUSY at once, "database is locked", despite the busy timeout;
  // measured: 2 of 400 simultaneous opens). The one that lost tries again.
  whileLocked(() => db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;'));
  db.exec(schema);
  return db;
}

const SQLITE_BUSY = 5;

/** Runs `work` again while SQLite answers SQLITE_BUSY, for up to `maxWaitMs` (synchronous: the store is opened before the member joins its group). */
function whileLocked(work: () => void, maxWaitMs = 10_000): void {
  const deadline = performance.now() + maxWaitMs;
  for (;;) {
    try {
      return work();
    } catch (error) {
      if ((error as { errcode?: number }).errcode !== SQLITE_BUSY || performance.now() > deadline) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}

/** A strategy's store, opened on first use and closed after a clean drain. */
export class LazyStore {
  #db: DatabaseSync | undefined;
  readonly #path: string;
  readonly #schema: string;
  constructor(path: string, schema: string) {
    this.#path = path;
    this.#schema = schema;
  }
  get db(): DatabaseSync {
    return (this.#db ??= openStore(this.#path, this.#schema));
  }
  close(): void {
    this.#db?.close();
    this.#db = undefined;
  }
}

/** Reads a store the runner only reads (after the run, from the file the strategy left). */
export function readStore<T>(path: string, read: (db: DatabaseSync) => T): T {
  if (!existsSync(path)) throw new Error(`${path} does not exist: the row's strategy never opened its store`);
  const db = new DatabaseSync(path, { readOnly: true, timeout: 10_000 });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/**
 * Runs `work` in one write transaction (BEGIN IMMEDIATE: take the write lock up front, so
 * two members never deadlock upgrading a read lock). A throw rolls everything back.
 */
export function inWriteTransaction<T>(db: DatabaseSync, work: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

/** Reads a `partition_id → next_offset` table into Positions. */
export function readPositions(db: DatabaseSync, table: string): Positions {
  const positions: Positions = {};
  for (const row of db.prepare(`SELECT partition_id, next_offset FROM ${table}`).all()) {
    positions[Number(row.partition_id)] = Number(row.next_offset);
  }
  return positions;
}

/**
 * Compare-and-set fencing: inside the open transaction, is the stored position of this
 * partition still the one this process last read or wrote? If another member moved it
 * (it owns the partition now, this process is a zombie), the answer is no.
 */
export function positionUnchanged(db: DatabaseSync, table: string, partition: number, expected: number | undefined): boolean {
  const row = db.prepare(`SELECT next_offset FROM ${table} WHERE partition_id = ?`).get(partition);
  const stored = row === undefined ? undefined : Number(row.next_offset);
  return stored === expected;
}

/** The position after a set of deliveries: last offset + 1 per partition. */
export function nextOffsets(deliveries: Iterable<{ partition: number; offset: number }>): Positions {
  const next: Positions = {};
  for (const { partition, offset } of deliveries) next[partition] = Math.max(next[partition] ?? 0, offset + 1);
  return next;
}

/** A member whose stored position was moved by another member: its work on those partitions is dropped. */
export class FencedError extends Error {
  readonly partitions: number[];
  constructor(partitions: number[], how: string) {
    super(`fenced on partition${partitions.length > 1 ? 's' : ''} ${partitions.join(', ')}: ${how}`);
    this.name = 'FencedError';
    this.partitions = partitions;
  }
}
