import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { HarnessArtifactError } from '../util/errors.ts';
import { fileSafe } from '../util/file-safe.ts';
import type { HistoryEvent, HistoryEventKind } from './events.ts';
import { forEachEvent } from './jsonl.ts';

/**
 * A run's history is its files, never one merged copy: the runner's own file (the produced
 * messages, process exits, what survived each crash) and one file per consumer instance.
 * Readers stream them; a million-message run's events never sit in memory at once.
 */
export const runnerHistoryPath = (dir: string) => join(dir, 'history-runner.jsonl');
export const instanceHistoryPath = (dir: string, instance: string) => join(dir, `history-${fileSafe(instance)}.jsonl`);

/** The kinds there is one of per message (or per delivery): what readers of the rest skip. */
export const perMessageKinds: readonly HistoryEventKind[] = ['produced', 'processed'];

/**
 * Every history file of a run, the runner's first: its produced events are written before any
 * consumer starts, so they precede every consumer event of the stream. Then each instance's
 * file in the order given (the scenario's), or in name order when the instances are unknown.
 */
export function runHistoryFiles(dir: string, instances?: readonly string[]): string[] {
  const runner = runnerHistoryPath(dir);
  if (instances) return [runner, ...instances.map((name) => instanceHistoryPath(dir, name))];
  // A compacted run has history-<instance>.jsonl.gz: named here as the .jsonl, which forEachEvent finds either way.
  const names = existsSync(dir) ? readdirSync(dir).map((f) => /^(history-.+\.jsonl)(?:\.gz)?$/.exec(f)?.[1]) : [];
  const others = [...new Set(names)].filter((f): f is string => f !== undefined && f !== 'history-runner.jsonl').sort();
  return [runner, ...others.map((f) => join(dir, f))];
}

/**
 * Streams the events of the files in order. A torn or malformed line is a harness artifact
 * (the sink write comes before a message counts as processed), named with its file and line.
 */
export function forEachRunEvent(files: readonly string[], visit: (event: HistoryEvent) => void, skip: readonly HistoryEventKind[] = []): void {
  for (const path of files) {
    const { tornLines, firstProblem } = forEachEvent(path, visit, skip);
    if (tornLines > 0) throw new HarnessArtifactError(`${path} has ${tornLines} torn or malformed line(s); the first: ${firstProblem}`);
  }
}

/** The events of the files as an array: for small runs and tests, or with the per-message kinds skipped. */
export function readRunHistory(files: readonly string[], skip: readonly HistoryEventKind[] = []): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  forEachRunEvent(files, (event) => void events.push(event), skip);
  return events;
}
