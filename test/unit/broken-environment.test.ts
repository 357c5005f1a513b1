import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { JsonlWriter } from '../../src/history/jsonl.ts';
import { forEachRunEvent, runHistoryFiles } from '../../src/history/run-files.ts';
import { stallBoundMs, watchForStall } from '../../src/runner/stall-watch.ts';
import type { RunningChild } from '../../src/runner/supervisor.ts';
import { ExitCode, runFailure } from '../../src/util/errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'kol-broken-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a full results disk', () => {
  test('a history write to a full disk (/dev/full: a real ENOSPC) names the file, exit 3', () => {
    const writer = new JsonlWriter('/dev/full');
    let error: unknown;
    try {
      writer.append({ kind: 'fault', description: 'x', time: 1 });
    } catch (e) {
      error = e;
    }
    writer.close();
    const failure = runFailure(error, []);
    expect(failure.exitCode).toBe(ExitCode.environment);
    expect(failure.message).toBe('cannot write /dev/full: no space left on the disk (ENOSPC); no counts were made from this run');
    expect(failure.hint).toMatch(/KAFKA_OFFSET_LAB_RESULTS/);
  });

  test('EACCES from bind() is the network, not the disk', () => {
    const error = Object.assign(new Error('listen EACCES'), { code: 'EACCES', syscall: 'listen' });
    expect(runFailure(error, []).message).not.toMatch(/cannot write/);
  });
});

describe('a damaged history file: exit 4 with the file and the line', () => {
  const good = (seq: number) => JSON.stringify({ kind: 'produced', partition: 0, offset: seq - 1, seq });
  test.each([
    ['a torn line in the middle', `${good(1)}\n{"kind":"produced","partit\n${good(3)}\n`, 2, /not JSON/],
    ['garbage', `${good(1)}\n${good(2)}\n\u0000\u00ff garbage \u0007\n`, 3, /not JSON/],
    ['a line of another shape', `${good(1)}\n{"kind":"produced","partition":0,"offset":"one","seq":2}\n`, 2, /field "offset" must be a whole number/],
  ])('%s', (_name, text, line, why) => {
    const workDir = mkdtempSync(join(dir, 'history-'));
    writeFileSync(join(workDir, 'history-runner.jsonl'), text);
    let error: unknown;
    try {
      forEachRunEvent(runHistoryFiles(workDir, []), () => {});
    } catch (e) {
      error = e;
    }
    const failure = runFailure(error, [workDir]);
    expect(failure.exitCode).toBe(ExitCode.harness);
    expect(failure.message).toContain(`${join(workDir, 'history-runner.jsonl')}: history line ${line}: `);
    expect(failure.message).toMatch(why);
  });
});

describe('the stall watch', () => {
  test('its bound: 20 s with the lab\'s short sessions, two sessions and 10 s above that', () => {
    expect(stallBoundMs(1500)).toBe(20_000);
    expect(stallBoundMs(3000)).toBe(20_000);
    expect(stallBoundMs(10_000)).toBe(30_000);
    expect(stallBoundMs(30_000)).toBe(70_000);
  });

  const sleeper = () => {
    const child = spawn('sleep', ['30']);
    const running: RunningChild = {
      instance: 'quiet', incarnation: 1, logPath: '/x/quiet.log', pid: child.pid,
      exited: new Promise(() => {}), kill: () => child.kill('SIGKILL'), signal: (s) => child.kill(s), send: () => {},
    };
    return { child, running };
  };
  const silent = { lastSignOfLife: () => performance.now() - 60_000, anyHolding: () => false };

  test('a silent process that runs is ours to explain (exit 4); one suspended by SIGSTOP is the environment (exit 3)', async () => {
    const { child, running } = sleeper();
    try {
      const awake = watchForStall(silent, [running], () => [running], 50);
      const error1 = await awake.stalled.catch((e: unknown) => e);
      awake.stop();
      expect(runFailure(error1, ['/x']).exitCode).toBe(ExitCode.harness);
      expect((error1 as Error).message).toMatch(/^quiet \(pid \d+\) made no progress for 0.05 s .*see \/x\/quiet\.log$/);
      child.kill('SIGSTOP');
      const stopped = watchForStall(silent, [running], () => [running], 50);
      const error2 = await stopped.stalled.catch((e: unknown) => e);
      stopped.stop();
      expect(runFailure(error2, ['/x']).exitCode).toBe(ExitCode.environment);
      expect((error2 as Error).message).toMatch(/quiet had been suspended \(SIGSTOP\)/);
    } finally {
      child.kill('SIGKILL');
    }
  });

  test('a process held by a fault, or one heard from within the bound (also after a step of the wall clock), is not a stall', async () => {
    const { child, running } = sleeper();
    try {
      let fired = false;
      const held = watchForStall({ ...silent, anyHolding: () => true }, [running], () => [running], 50);
      const recent = watchForStall({ lastSignOfLife: () => performance.now(), anyHolding: () => false }, [running], () => [running], 500);
      // The machine's clock stepped a minute forward (NTP, a VM resumed): 2.5 s of silence is not 20 s.
      const heardAt = performance.now();
      const wallClock = Date.now;
      Date.now = () => wallClock() + 60_000;
      const stepped = watchForStall({ lastSignOfLife: () => heardAt, anyHolding: () => false }, [running], () => [running], 20_000);
      held.stalled.catch(() => (fired = true));
      recent.stalled.catch(() => (fired = true));
      stepped.stalled.catch(() => (fired = true));
      await new Promise((r) => setTimeout(r, 2500)).finally(() => (Date.now = wallClock));
      held.stop();
      recent.stop();
      stepped.stop();
      expect(fired).toBe(false);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
