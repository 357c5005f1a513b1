import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { expect, test } from 'vitest';
import { findTeachingBroker, removeTeachingState, writeTeachingState } from '../../src/broker/teaching.ts';
import { scenarioCommand } from '../../src/cli/scenario-command.ts';

const folder = () => mkdtempSync(join(tmpdir(), 'lesson-'));
const state = { brokers: ['127.0.0.1:1'], kind: 'local' as const, description: 'x', kafkaVersion: '4.4.0', logPath: 'x', startedAt: 'now' };

test('a lesson-broker file whose process is gone is ignored and removed, with one line saying why', async () => {
  const path = join(folder(), 'state.json');
  writeTeachingState({ ...state, pid: 2 ** 22 + 12345 }, path);
  const said: string[] = [];
  expect(await findTeachingBroker((line) => said.push(line), path)).toBeUndefined();
  expect(existsSync(path)).toBe(false);
  expect(said).toEqual([expect.stringMatching(/stale lesson-broker file .*: its process \d+ is gone/)]);
});

test('a file that is not ours is ignored and removed; no file: nothing said', async () => {
  const path = join(folder(), 'state.json');
  writeFileSync(path, '{"pid": 1}');
  const said: string[] = [];
  expect(await findTeachingBroker((line) => said.push(line), path)).toBeUndefined();
  expect(existsSync(path)).toBe(false);
  expect(await findTeachingBroker((line) => said.push(line), path)).toBeUndefined();
  expect(said).toHaveLength(1);
});

test("a process removes only its own state file", () => {
  const path = join(folder(), 'state.json');
  writeTeachingState({ ...state, pid: 4242 }, path);
  removeTeachingState(process.pid, path);
  expect(existsSync(path)).toBe(true);
  removeTeachingState(4242, path);
  expect(existsSync(path)).toBe(false);
});

test('--keep with a broker the run starts (and deletes) is refused before it starts: exit 2, with the way out', async () => {
  const sink = () => new PassThrough() as unknown as NodeJS.WriteStream;
  const run = scenarioCommand(['crash-mid-batch', '--keep', '--broker', 'local'], { stdout: sink(), stderr: sink(), env: {} });
  await expect(run).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining('this run\'s broker is disposable'), hint: expect.stringContaining('npm run broker') });
});
