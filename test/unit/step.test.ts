import { PassThrough } from 'node:stream';
import { expect, test } from 'vitest';
import { scenarioCommand } from '../../src/cli/scenario-command.ts';
import { StepMode } from '../../src/cli/step.ts';
import { UserError } from '../../src/util/errors.ts';

const sink = () => Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.WriteStream & PassThrough;

test('--step without a terminal on stdin is refused with one clear line (exit 2), before any broker', async () => {
  const stdin = Object.assign(new PassThrough(), { isTTY: undefined }) as unknown as NodeJS.ReadStream;
  const run = scenarioCommand(['crash-mid-batch', '--step'], { stdout: sink(), stderr: sink(), stdin, env: {} });
  await expect(run).rejects.toThrow(UserError);
  await expect(run).rejects.toMatchObject({ exitCode: 2, message: '--step waits for Enter at every stop: it needs a terminal on stdin.' });
});

test('a stop waits for a line; queued events get a stop each, a crash and its SIGKILL exit are one', async () => {
  const input = new PassThrough() as unknown as NodeJS.ReadStream & PassThrough;
  const output = sink();
  let shown = '';
  output.on('data', (chunk) => (shown += chunk));
  const step = new StepMode({ input, output }, 'en');
  step.event({ kind: 'crash', strategy: 'a', incarnation: 1, point: 'mid-batch', processedInIncarnation: 237, time: 1 });
  step.event({ kind: 'exited', strategy: 'a', incarnation: 1, code: null, signal: 'SIGKILL', time: 2 });
  step.event({ kind: 'exited', strategy: 'b', incarnation: 1, code: 0, signal: null, time: 2 });
  let passed = false;
  const stop = step.beforePhase('restart+drain').then(() => (passed = true));
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(passed).toBe(false);
  expect(shown).toMatch(/✕ a \(process 1\) was SIGKILLed at mid-batch, after 237 messages/);
  expect(shown).not.toContain('── restart+drain ──');
  input.write('\n');
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(passed).toBe(false);
  expect(shown).toContain('── restart+drain ──');
  expect(shown).not.toMatch(/ended \(SIGKILL\)/);
  input.write('\n');
  await stop;
  expect(shown.split('[Enter] to go on').length - 1).toBe(2);
});

test('Ctrl-C while waiting ends the stop as an interruption', async () => {
  const input = new PassThrough() as unknown as NodeJS.ReadStream & PassThrough;
  const abort = new AbortController();
  const step = new StepMode({ input, output: sink(), signal: abort.signal }, 'zh');
  const stop = step.beforePhase('produce');
  abort.abort();
  await expect(stop).rejects.toMatchObject({ exitCode: 130 });
});
