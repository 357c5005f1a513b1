import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { timestamp } from './timestamp.ts';

/** Results folders are named by their start time (YYYY-MM-DDTHH-MM-SS-mmm…): sorting by name sorts by age. */
const runFolder = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}/;

/**
 * Keeps the newest `keep` run folders in `dir` (one scenario's results) and deletes the rest,
 * so results/ does not grow forever. Anything not named like a run is left alone. Returns the
 * folders it deleted.
 */
export function pruneRuns(dir: string, keep: number): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => runFolder.test(name) && statSync(join(dir, name)).isDirectory());
  } catch {
    return []; // no folder yet: nothing to prune
  }
  const old = names.sort().slice(0, Math.max(0, names.length - keep));
  for (const name of old) rmSync(join(dir, name), { recursive: true, force: true });
  return old.map((name) => join(dir, name));
}

/** How many runs per scenario results/ keeps unless --keep-runs says otherwise. */
export const defaultRunsKept = 20;

/**
 * A new run folder `parent/<timestamp>` for a command that keeps one folder per run (the lesson
 * broker's log, claims, save-cost, the bench): made, then the older ones beyond the newest `keep`
 * deleted at once, so a run that is interrupted or fails still leaves results/ no larger.
 */
export function newRunFolder(parent: string, keep: number = defaultRunsKept): string {
  const dir = join(parent, timestamp());
  mkdirSync(dir, { recursive: true });
  pruneRuns(parent, keep);
  return dir;
}
