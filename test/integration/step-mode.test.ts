import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, inject, test } from 'vitest';
import { repoRoot } from '../../src/util/paths.ts';
import { waitFor } from '../../src/util/wait-for.ts';
import { cleanEnv } from '../env.ts';

// The suite's broker allows short sessions (group.min.session.timeout.ms=1000).
const shared = () => ({ KAFKA_BROKERS: inject('brokers').join(','), KAFKA_SESSION_TIMEOUT_MS: '3000' });

test('--step in a terminal: the run waits at a phase until Enter, stops at each crash and resume point, and the counts are the usual ones', async () => {
  const args = ['test/fixtures/run-in-pty.py', process.execPath, 'src/cli/scenario-main.ts', 'crash-mid-batch', '--step', '--lang', 'en'];
  const child = spawn('python3', args, { env: cleanEnv({ ...shared(), NO_COLOR: '1', COLUMNS: '120' }) });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const stops = () => out.split('[Enter] to go on').length - 1;
  const enter = () => child.stdin.write('\n');
  try {
    await waitFor(() => stops() === 1, { maxWaitMs: 30_000, description: 'the first stop' });
    expect(out).toContain('── broker start ──');
    enter();
    await waitFor(() => stops() === 2, { maxWaitMs: 30_000, description: 'the stop before produce' });
    expect(out).toContain('── produce ──');
    const folder = join(repoRoot, /results: (\S+)/.exec(out)![1]!);
    // Held before produce: nothing is written for 2 s, until Enter.
    const before = out.length;
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(out.length).toBe(before);
    expect(existsSync(join(folder, 'offsets.json'))).toBe(false);
    enter();
    await waitFor(() => existsSync(join(folder, 'offsets.json')), { maxWaitMs: 30_000, description: 'produce after Enter' });
    // From here on every stop is answered, as a teacher would.
    let answered = 2;
    let done = false;
    void exited.then(() => (done = true));
    while (!done || stops() > answered) {
      if (stops() > answered) {
        answered++;
        enter();
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await exited).toBe(0);
    const text = out.replace(/\r/g, '');
    // five phases, three crashes, three resume points
    expect(answered).toBe(11);
    expect(text).toMatch(/✕ auto-commit \(process 1\) was SIGKILLed at mid-batch, after 237 messages/);
    expect(text).toMatch(/▸ manual-commit \(process 2\) joined its group and resumes at partition 0 at offset 200\./);
    expect(text).toMatch(/▸ auto-commit \(process 2\) joined its group and resumes at partition 0 at offset 0\./);
    const result = JSON.parse(readFileSync(join(folder, 'result.json'), 'utf8')) as { strategies: Array<{ name: string; lost: number; duplicated: number }> };
    expect(result.strategies.map((s) => [s.name, s.lost, s.duplicated])).toEqual([
      ['auto-commit', 0, 237],
      ['manual-commit', 0, 37],
      ['file-checkpoint', 0, 37],
    ]);
  } finally {
    child.kill('SIGKILL');
  }
});
