import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { formatCheckpointFile, parseCheckpointFile } from '../boundary/parse.ts';
import type { Positions } from '../history/events.ts';
import { type FileCheckpointOptions, type ResumePlan, type StrategyInfo, type StrategyModule, savesAfterEachBatch } from './strategy.ts';
import { fileSafe } from '../util/file-safe.ts';

/**
 * Never commits to Kafka. After each processed batch it writes its checkpoint file (the one
 * format of src/boundary/parse.ts); on start, and on every assignment, it reads the file and
 * seeks there. A brand-new instance (no file yet) starts at the beginning of the topic; when
 * the file is missing or unreadable on a restart it falls back to `fallback` (earliest or latest).
 */
function describe(options: FileCheckpointOptions = {}): StrategyInfo {
  const atomic = options.write === 'atomic';
  return {
    name: 'file-checkpoint',
    claims: 'at-least-once',
    summary: atomic
      ? { en: 'never commits to Kafka; writes checkpoint.json atomically (temp, fsync, rename) after each batch', zh: '从不向 Kafka 提交；每批之后原子地写 checkpoint.json（临时文件、fsync、rename）' }
      : { en: 'never commits to Kafka; writes checkpoint.json after each processed batch, seeks there on start', zh: '从不向 Kafka 提交；每处理完一批写 checkpoint.json，启动时 seek 到文件中的位置' },
  };
}

export function checkpointPath(workDir: string, instance: string, options: FileCheckpointOptions = {}): string {
  return join(workDir, options.checkpointFile ?? `checkpoint-${fileSafe(instance)}.json`);
}

export const fileCheckpoint: StrategyModule<FileCheckpointOptions> = {
  describe,
  create: (runtime, options = {}) => {
    const path = checkpointPath(runtime.workDir, runtime.instance, options);
    const atomic = options.write === 'atomic';
    // The fallback is what the code does when a file it wrote before is gone; a brand-new
    // instance naturally starts at the beginning of the topic.
    const policy = runtime.incarnation === 1 ? 'earliest' : (options.fallback ?? 'earliest');
    return {
      ...savesAfterEachBatch('checkpoint-file'),
      resumePlan: () => readResumePlan(path, runtime.topic, policy, runtime.topicEnds),
      save: async (positions: Positions, crashDuringSave?: () => never) => {
        const text = formatCheckpointFile(runtime.topic, positions);
        if (crashDuringSave) tornWrite(atomic ? `${path}.tmp` : path, options.tornBy === 'power-loss' ? text.slice(0, Math.floor(text.length / 2)) : '', crashDuringSave);
        if (atomic) writeAtomically(path, text);
        else writeFileSync(path, text); // what most hand-written checkpoints do
        if (options.commitToKafka) await runtime.consumer.commit(positions);
      },
    };
  },
};

/**
 * Where a process resumes from its checkpoint file at `path`. A file refused for any reason
 * (empty, binary, another schema, an offset or partition the topic cannot have) means the
 * fallback, and the detail names the file and why.
 */
export function readResumePlan(path: string, topic: string, policy: 'earliest' | 'latest', topicEnds?: Positions): ResumePlan {
  if (!existsSync(path)) return { from: 'fallback', reason: 'missing', policy };
  try {
    return { from: 'checkpoint', positions: parseCheckpointFile(readFileSync(path, 'utf8'), topic, basename(path), topicEnds) };
  } catch (error) {
    return { from: 'fallback', reason: 'unreadable', detail: (error as Error).message, policy };
  }
}

/**
 * Truncates the file (open for writing), leaves `kept` of the new content in it, and dies.
 * A SIGKILL cannot split one small write() (the kernel applies it whole), so a killed process
 * leaves the file empty at worst (kept ''); half the bytes is what a power loss can leave.
 */
function tornWrite(target: string, kept: string, crash: () => never): never {
  const fd = openSync(target, 'w');
  if (kept.length > 0) writeSync(fd, kept);
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
