import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, expect, test } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'kol-sqlite-open-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Both members of a row open the row's new store at the same moment. Switching a new file to WAL
// takes a lock SQLite does not wait for: without openStore's retry, 38 of 1200 opens in step failed
// with "database is locked" (a member exiting 1, the run a harness error).
test('two members opening the same new store at once both get it', { timeout: 60_000 }, async () => {
  const paths = Array.from({ length: 300 }, (_, i) => join(dir, `row-${i}.sqlite`));
  const barrier = new SharedArrayBuffer(4 * paths.length);
  const worker = () =>
    new Promise<string[]>((resolve, reject) => {
      const w = new Worker(new URL('../fixtures/open-store-worker.ts', import.meta.url), { workerData: { paths, barrier } });
      w.once('message', resolve);
      w.once('error', reject);
    });
  const [a, b] = await Promise.all([worker(), worker()]);
  expect([...a, ...b]).toEqual([]);
});
