import { readFileSync } from 'node:fs';
import { EnvironmentError, HarnessArtifactError } from '../util/errors.ts';
import type { RunningChild } from './supervisor.ts';

/**
 * How long the processes of a phase may all be silent (no message processed, no group
 * joined, none exited) while none holds at a fault's trigger, before the phase is stopped as
 * hung. The longest silence a healthy run has is a join that waits for a dead member's
 * session to expire and then for the rebalance (up to two sessions): 2 × session + 10 s of
 * slack for a loaded 2-core machine, and never under 20 s (a process's start, compile cache
 * cold, takes up to ~5 s there). With the lab's short sessions a hang is caught after 20 s,
 * well before the 90 s phase timeout; with 30 s sessions (broker-restart) after 70 s.
 */
export const stallBoundMs = (sessionTimeoutMs: number) => Math.max(20_000, 2 * sessionTimeoutMs + 10_000);

/**
 * What the watch needs from the phase: when the processes last showed life (performance.now(), never
 * the wall clock: a machine whose clock is stepped forward — NTP, a VM resumed — would otherwise see
 * every process of a healthy run silent at once), and whether a fault holds one.
 */
export interface LifeSigns {
  lastSignOfLife(): number;
  anyHolding(): boolean;
}

/**
 * Checks once a second; rejects with the error that names the silent processes and their
 * logs. A process found stopped (SIGSTOP from outside: a debugger, a shell's Ctrl-Z) is the
 * environment (exit 3); one that runs but does nothing is ours to explain (exit 4).
 */
export function watchForStall(live: LifeSigns, children: readonly RunningChild[], running: () => RunningChild[], boundMs: number): { stalled: Promise<never>; stop: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setInterval(() => {
      if (live.anyHolding() || performance.now() - live.lastSignOfLife() < boundMs) return;
      reject(stallError(running().length > 0 ? running() : [...children], boundMs));
    }, 1000);
  });
  stalled.catch(() => {}); // only ever awaited through Promise.race
  return { stalled, stop: () => clearInterval(timer) };
}

function stallError(silent: readonly RunningChild[], boundMs: number): Error {
  const names = silent.map((c) => `${c.instance} (pid ${c.pid})`).join(', ');
  const logs = silent.map((c) => c.logPath).join(', ');
  const what = `${names} made no progress for ${boundMs / 1000} s (no message processed, no group joined) and ${silent.length > 1 ? 'were' : 'was'} stopped; no counts from this run`;
  const stopped = silent.filter((c) => processState(c.pid) === 'T');
  if (stopped.length > 0) {
    return new EnvironmentError(`${what}: ${stopped.map((c) => c.instance).join(', ')} had been suspended (SIGSTOP) by something outside the run`, {
      hint: `Its log: ${logs}. Do not suspend the strategy processes (Ctrl-Z, a debugger) while a run is on.`,
    });
  }
  return new HarnessArtifactError(`${what}; see ${logs}`);
}

/** The process's state letter from /proc (R running, S sleeping, T stopped …); undefined elsewhere. */
function processState(pid: number | undefined): string | undefined {
  try {
    return /^\d+ \(.*\) (\S)/s.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}
