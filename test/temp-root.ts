import { createHash } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../src/util/paths.ts';

/**
 * Every temporary folder of a suite (the tests' results roots, their brokers' data, stores) under
 * one folder that the next suite removes: they were never removed, and 7 600 of them, 14 GB, had
 * piled up in /tmp on the development machine. The last suite's stay for reading after a failure.
 * TMPDIR is read by os.tmpdir() in the test workers and in every process they start. One folder
 * per checkout: a suite in another clone (CI's) never removes this one's.
 */
export default function setup(): void {
  if (process.env.KOL_TEST_TMPDIR) return; // set by the first project's setup of this run
  const checkout = createHash('sha256').update(repoRoot).digest('hex').slice(0, 8);
  const root = join(tmpdir(), `kafka-offset-lab-tests-${checkout}`);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  process.env.KOL_TEST_TMPDIR = root;
  process.env.TMPDIR = root;
}
