import type { ChildConfig } from '../consumer/protocol.ts';
import type { ExitJudgement, ProcessExit } from '../faults/fault.ts';
import { UserError } from '../util/errors.ts';
import type { LiveFaults } from './live-faults.ts';
import { watchForStall, type LifeSigns } from './stall-watch.ts';
import type { RunningChild, Supervisor } from './supervisor.ts';

export interface PhaseOptions {
  supervisor: Pick<Supervisor, 'start'>;
  live: Pick<LiveFaults, 'track'> & LifeSigns;
  /** At most this many processes at a time, in order (1: one after another); undefined: all at once. */
  atOnce: number | undefined;
  /** How each exit is judged. */
  judge: (instance: string, exit: ProcessExit) => ExitJudgement;
  timeoutMs: number;
  /** All processes silent this long, none held by a fault: the phase is stopped as hung (see stall-watch.ts). */
  stallMs: number;
  signal?: AbortSignal;
}

/**
 * Runs one process per config until each has exited, and returns the instances whose
 * process ended as a fault intended (to be restarted). A bad exit, the phase timeout or an
 * abort kills the others and throws. With `atOnce`, a pool: the next process starts as soon
 * as one ends (no wave waits for its slowest), in the order of the configs.
 */
export async function runPhase(configs: readonly ChildConfig[], options: PhaseOptions): Promise<Set<string>> {
  const toRestart = new Set<string>();
  const run = async (wave: readonly ChildConfig[]) => {
    const children = wave.map((config) => options.supervisor.start(config));
    for (const child of children) options.live.track(child);
    await awaitAll(children, options, (child, exit) => {
      const judged = options.judge(child.instance, exit);
      if (judged === 'restart') toRestart.add(child.instance);
      return typeof judged === 'object' ? `${judged.problem}; see ${child.logPath}` : undefined;
    });
  };
  const width = options.atOnce ?? configs.length;
  if (width >= configs.length) {
    await run(configs);
    return toRestart;
  }
  let next = 0;
  let failed = false;
  const lane = async () => {
    while (!failed && next < configs.length) await run([configs[next++]!]);
  };
  try {
    await Promise.all(Array.from({ length: width }, lane));
  } catch (error) {
    failed = true; // the other lanes start nothing more; the runner kills what still runs
    throw error;
  }
  return toRestart;
}

async function awaitAll(children: RunningChild[], options: PhaseOptions, judge: (child: RunningChild, exit: ProcessExit) => string | undefined): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`strategies still running after ${options.timeoutMs / 1000} s; see ${children.map((c) => c.logPath).join(', ')}`)),
      options.timeoutMs,
    );
  });
  const aborted = new Promise<never>((_, reject) => {
    if (options.signal?.aborted) reject(new UserError('interrupted'));
    options.signal?.addEventListener('abort', () => reject(new UserError('interrupted')), { once: true });
  });
  const running = new Set(children);
  for (const child of children) void child.exited.finally(() => running.delete(child)).catch(() => {});
  const watch = watchForStall(options.live, children, () => [...running], options.stallMs);
  try {
    await Promise.race([
      watch.stalled,
      Promise.all(
        children.map(async (child) => {
          const problem = judge(child, await child.exited);
          if (problem) throw new Error(problem);
        }),
      ),
      timeout,
      aborted,
    ]);
  } catch (error) {
    for (const child of children) child.kill();
    throw error;
  } finally {
    clearTimeout(timer);
    watch.stop();
  }
}
