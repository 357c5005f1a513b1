import { describe, expect, test } from 'vitest';
import type { ChildConfig } from '../../src/consumer/protocol.ts';
import type { ProcessExit } from '../../src/faults/fault.ts';
import { runPhase, type PhaseOptions } from '../../src/runner/consume-phase.ts';
import type { ChildExit, RunningChild } from '../../src/runner/supervisor.ts';

/** A supervisor whose processes end when the test says so; it records what runs when. */
function fakeProcesses() {
  const ends = new Map<string, (exit: ChildExit) => void>();
  const started: string[] = [];
  const running = new Set<string>();
  let mostAtOnce = 0;
  const supervisor: PhaseOptions['supervisor'] = {
    start: (config: ChildConfig): RunningChild => {
      started.push(config.instance);
      running.add(config.instance);
      mostAtOnce = Math.max(mostAtOnce, running.size);
      const exited = new Promise<ChildExit>((resolve) => ends.set(config.instance, resolve)).then((exit) => {
        running.delete(config.instance);
        return exit;
      });
      return { instance: config.instance, incarnation: 1, logPath: `${config.instance}.log`, pid: 1, exited, kill: () => ends.get(config.instance)?.({ code: null, signal: 'SIGKILL' }), signal: () => {}, send: () => {} };
    },
  };
  return { supervisor, started, running, ends, mostAtOnce: () => mostAtOnce };
}

const configs = (...names: string[]) => names.map((instance) => ({ instance }) as ChildConfig);
const options = (supervisor: PhaseOptions['supervisor'], atOnce: number | undefined): PhaseOptions => ({
  supervisor,
  live: { track: () => {}, lastSignOfLife: () => performance.now(), anyHolding: () => false },
  atOnce,
  judge: (_: string, exit: ProcessExit) => (exit.signal === 'SIGKILL' ? 'restart' : exit.code === 0 ? 'done' : { problem: `exit ${exit.code}` }),
  timeoutMs: 10_000,
  stallMs: 10_000,
});
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('runPhase', () => {
  test('atOnce 2: at most two at a time, in order, the next starting as soon as one ends (not a wave)', async () => {
    const p = fakeProcesses();
    const phase = runPhase(configs('a', 'b', 'c', 'd'), options(p.supervisor, 2));
    await tick();
    expect(p.started).toEqual(['a', 'b']);
    p.ends.get('b')!({ code: null, signal: 'SIGKILL' });
    await tick();
    expect(p.started).toEqual(['a', 'b', 'c']); // a still runs: c did not wait for it
    p.ends.get('a')!({ code: 0, signal: null });
    await tick();
    expect(p.started).toEqual(['a', 'b', 'c', 'd']);
    p.ends.get('c')!({ code: 0, signal: null });
    p.ends.get('d')!({ code: null, signal: 'SIGKILL' });
    expect(await phase).toEqual(new Set(['b', 'd']));
    expect(p.mostAtOnce()).toBe(2);
  });

  test('without atOnce every process starts at once', async () => {
    const p = fakeProcesses();
    const phase = runPhase(configs('a', 'b', 'c'), options(p.supervisor, undefined));
    await tick();
    expect(p.started).toEqual(['a', 'b', 'c']);
    for (const name of ['a', 'b', 'c']) p.ends.get(name)!({ code: 0, signal: null });
    expect(await phase).toEqual(new Set());
  });

  test('a bad exit fails the phase and nothing more is started', async () => {
    const p = fakeProcesses();
    const phase = runPhase(configs('a', 'b', 'c'), options(p.supervisor, 1));
    await tick();
    p.ends.get('a')!({ code: 1, signal: null });
    await expect(phase).rejects.toThrow('exit 1; see a.log');
    await tick();
    expect(p.started).toEqual(['a']);
  });
});
