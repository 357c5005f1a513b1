import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Positions } from '../history/events.ts';
import type { Strategy, StrategyInfo, StrategyRuntime } from './strategy.ts';

/**
 * Never commits to Kafka. After each processed batch it writes checkpoint.json
 * ({ topic, positions: { partition: nextOffset } }); on start it reads the file and seeks
 * there. Without a file it falls back to the group's reset policy (earliest).
 */
export const fileCheckpointInfo: StrategyInfo = {
  name: 'file-checkpoint',
  claims: 'at-least-once',
  summary: {
    en: 'never commits to Kafka; writes checkpoint.json after each processed batch, seeks there on start',
    zh: '从不向 Kafka 提交；每处理完一批写 checkpoint.json，启动时 seek 到文件中的位置',
  },
};

export type CheckpointWrite = 'in-place' | 'atomic';

export interface CheckpointFile {
  topic: string;
  positions: Positions;
}

export function checkpointPath(workDir: string, instance: string): string {
  return join(workDir, `checkpoint-${instance}.json`);
}

export function createFileCheckpoint(runtime: StrategyRuntime, write: CheckpointWrite = 'in-place'): Strategy {
  const path = checkpointPath(runtime.workDir, runtime.instance);
  return {
    ...fileCheckpointInfo,
    autoCommit: false,
    savedVia: 'checkpoint-file',
    readResumePositions: () => readCheckpoint(path, runtime.topic),
    save: async (positions: Positions, crashDuringSave?: () => never) => {
      const text = JSON.stringify({ topic: runtime.topic, positions } satisfies CheckpointFile);
      if (crashDuringSave) tornWrite(write === 'atomic' ? `${path}.tmp` : path, text, crashDuringSave);
      if (write === 'atomic') writeAtomically(path, text);
      else writeFileSync(path, text); // what most hand-written checkpoints do
    },
  };
}

/** undefined when there is no checkpoint yet; a checkpoint for another topic is ignored. */
export function readCheckpoint(path: string, topic: string): Positions | undefined {
  if (!existsSync(path)) return undefined;
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as CheckpointFile;
  return parsed.topic === topic ? parsed.positions : undefined;
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
