import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import { afterEach, describe, expect, test } from 'vitest';
import { formatCheckpointFile } from '../../src/boundary/parse.ts';
import type { ConsumerPort } from '../../src/consumer/port.ts';
import { checkpointPath, fileCheckpoint } from '../../src/strategies/file-checkpoint.ts';
import type { FileCheckpointOptions } from '../../src/strategies/strategy.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A file-checkpoint strategy in a fresh temp dir; it never touches the consumer or the client. */
function strategyIn(incarnation: number, options: FileCheckpointOptions = {}) {
  const workDir = mkdtempSync(join(tmpdir(), 'kol-checkpoint-'));
  dirs.push(workDir);
  const runtime = {
    consumer: undefined as unknown as ConsumerPort, kafka: undefined as unknown as Kafka,
    topic: 't', workDir, instance: 's', row: 's', groupId: 'g', incarnation,
  };
  return { strategy: fileCheckpoint.create(runtime, options), path: checkpointPath(workDir, 's', options) };
}

describe('file-checkpoint resume plan', () => {
  test('missing file: the fallback (a first incarnation starts at the beginning whatever the option)', () => {
    expect(strategyIn(1, { fallback: 'latest' }).strategy.resumePlan()).toEqual({ from: 'fallback', reason: 'missing', policy: 'earliest' });
    expect(strategyIn(2, { fallback: 'latest' }).strategy.resumePlan()).toEqual({ from: 'fallback', reason: 'missing', policy: 'latest' });
    expect(strategyIn(2).strategy.resumePlan()).toEqual({ from: 'fallback', reason: 'missing', policy: 'earliest' });
  });

  test('unreadable file: the fallback, with what is wrong', () => {
    const torn = strategyIn(2);
    writeFileSync(torn.path, '{"topic":"t","posi');
    expect(torn.strategy.resumePlan()).toMatchObject({ from: 'fallback', reason: 'unreadable', policy: 'earliest', detail: expect.stringMatching(/JSON/) });
    const other = strategyIn(2);
    writeFileSync(other.path, formatCheckpointFile('another-topic', { 0: 3 }));
    expect(other.strategy.resumePlan()).toMatchObject({ from: 'fallback', reason: 'unreadable', detail: expect.stringMatching(/topic/) });
  });

  test('valid file: its positions', () => {
    const { strategy, path } = strategyIn(2);
    writeFileSync(path, formatCheckpointFile('t', { 0: 12, 1: 4 }));
    expect(strategy.resumePlan()).toEqual({ from: 'checkpoint', positions: { 0: 12, 1: 4 } });
  });

  test.each(['in-place', 'atomic'] as const)('a %s save writes the one format and is read back', async (write) => {
    const { strategy, path } = strategyIn(1, { write, checkpointFile: 'shared.json' });
    expect(path.endsWith('shared.json')).toBe(true);
    await strategy.save!({ 0: 9 });
    expect(readFileSync(path, 'utf8')).toBe(formatCheckpointFile('t', { 0: 9 }));
    expect(existsSync(`${path}.tmp`)).toBe(false);
    expect(strategy.resumePlan()).toEqual({ from: 'checkpoint', positions: { 0: 9 } });
  });

  test('dying during an atomic save leaves the old file whole', async () => {
    const { strategy } = strategyIn(2, { write: 'atomic' });
    await strategy.save!({ 0: 3 });
    const die = (): never => { throw new Error('killed'); };
    await expect(strategy.save!({ 0: 6 }, die)).rejects.toThrow('killed');
    expect(strategy.resumePlan()).toEqual({ from: 'checkpoint', positions: { 0: 3 } });
  });
});
