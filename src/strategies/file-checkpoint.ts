import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Positions } from '../history/events.ts';
import type { ResumePlan, Strategy, StrategyInfo, StrategyOptions, StrategyRuntime } from './strategy.ts';

/**
 * Never commits to Kafka. After each processed batch it writes its checkpoint file
 * ({ topic, positions: { partition: nextOffset } }); on start it reads the file and seeks
 * there. A brand-new instance (no file yet) starts at the beginning of the topic; when the
 * file is missing or unreadable on a restart it falls back to `fallback` (earliest or latest).
 */
export function describeFileCheckpoint(options: StrategyOptions = {}): StrategyInfo {
  const atomic = options.write === 'atomic';
  return {
    name: 'file-checkpoint',
    claims: 'at-least-once',
    summary: atomic
      ? { en: 'never commits to Kafka; writes checkpoint.json atomically (temp, fsync, rename) after each batch', zh: '从不向 Kafka 提交；每批之后原子地写 checkpoint.json（临时文件、fsync、rename）' }
      : { en: 'never commits to Kafka; writes checkpoint.json after each processed batch, seeks there on start', zh: '从不向 Kafka 提交；每处理完一批写 checkpoint.json，启动时 seek 到文件中的位置' },
  };
}

export interface CheckpointFile {
  topic: string;
  positions: Positions;
}

export function checkpointPath(workDir: string, instance: string, options: StrategyOptions = {}): string {
  return join(workDir, options.checkpointFile ?? `checkpoint-${instance}.json`);
}

export function createFileCheckpoint(runtime: StrategyRuntime, options: StrategyOptions = {}): Strategy {
  const path = checkpointPath(runtime.workDir, runtime.instance, options);
  const write = options.write ?? 'in-place';
  return {
    ...describeFileCheckpoint(options),
    autoCommit: false,
    processing: 'awaited',
    saveOrder: 'after-process',
    savedVia: 'checkpoint-file',
    readResumePlan: () => resumePlan(path, runtime, options),
    save: async (positions: Positions, crashDuringSave?: () => never) => {
      const text = JSON.stringify({ topic: runtime.topic, positions } satisfies CheckpointFile);
      if (crashDuringSave) tornWrite(write === 'atomic' ? `${path}.tmp` : path, text, crashDuringSave);
      if (write === 'atomic') writeAtomically(path, text);
      else writeFileSync(path, text); // what most hand-written checkpoints do
    },
  };
}

function resumePlan(path: string, runtime: StrategyRuntime, options: StrategyOptions): ResumePlan {
  // The fallback is what the code does when a file it wrote before is gone; a brand-new
  // instance naturally starts at the beginning of the topic.
  const policy = runtime.incarnation === 1 ? 'earliest' : (options.fallback ?? 'earliest');
  if (!existsSync(path)) return { from: 'fallback', reason: 'missing', policy };
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as CheckpointFile;
    if (parsed.topic !== runtime.topic || typeof parsed.positions !== 'object' || parsed.positions === null) {
      return { from: 'fallback', reason: 'unreadable', detail: 'not a checkpoint of this topic', policy };
    }
    return { from: 'checkpoint', positions: parsed.positions };
  } catch (error) {
    return { from: 'fallback', reason: 'unreadable', detail: (error as Error).message, policy };
  }
}

/** Truncates the file, writes the first half of the new content, and dies: a torn write. */
function tornWrite(target: string, text: string, crash: () => never): never {
  const fd = openSync(target, 'w');
  writeSync(fd, text.slice(0, Math.floor(text.length / 2)));
  return crash();
}

/** Temp file, fsync, rename over the old one, fsync the directory: a reader sees old or new, never half. */
function writeAtomically(path: string, text: string): void {
  const temp = `${path}.tmp`;
  const fd = openSync(temp, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
  const dir = openSync(dirname(path), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}
