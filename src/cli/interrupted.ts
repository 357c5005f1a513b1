import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { forEachLine } from '../history/jsonl.ts';
import { join } from 'node:path';
import { ExitCode, UserError } from '../util/errors.ts';

/**
 * What an interrupted run leaves in its folder besides the files it had written:
 * `interrupted.json`, which says that it was interrupted, by what, in which phase, and what
 * had been measured by then (events per kind in each history file, as written before the
 * signal). A result.json written before the signal (interrupted while reporting) stays.
 */
export interface InterruptedRecord {
  interrupted: true;
  signal: 'SIGINT' | 'SIGTERM';
  exitCode: number;
  /** The phase that was running: broker start, produce, consume+crash, fault, restart+drain, check or report. */
  phase: string;
  scenario: string;
  time: string;
  /** History file → event kind → how many were recorded (a torn last line is not counted). */
  measured: Record<string, Record<string, number>>;
  /** True when result.json had been written (the counts were complete). */
  resultWritten: boolean;
}

export function writeInterruptedRecord(folder: string, record: Omit<InterruptedRecord, 'interrupted' | 'measured' | 'resultWritten' | 'time'>): InterruptedRecord {
  const full: InterruptedRecord = {
    interrupted: true,
    ...record,
    time: new Date().toISOString(),
    measured: measuredIn(folder),
    resultWritten: existsSync(join(folder, 'result.json')),
  };
  writeFileSync(join(folder, 'interrupted.json'), JSON.stringify(full, null, 2) + '\n');
  return full;
}

function measuredIn(folder: string): Record<string, Record<string, number>> {
  const measured: Record<string, Record<string, number>> = {};
  const files = existsSync(folder) ? readdirSync(folder).filter((f) => /^history-.*\.jsonl(\.gz)?$/.test(f)).sort() : [];
  for (const file of files) {
    const kinds: Record<string, number> = {};
    // Line by line: a big run's files hold millions of lines.
    forEachLine(join(folder, file), (line) => {
      const kind = kindOf(line);
      if (kind !== undefined) kinds[kind] = (kinds[kind] ?? 0) + 1;
    });
    measured[file] = kinds;
  }
  return measured;
}

function kindOf(line: string): string | undefined {
  try {
    const value: unknown = JSON.parse(line);
    const kind = (value as { kind?: unknown } | null)?.kind;
    return typeof kind === 'string' ? kind : undefined;
  } catch {
    return undefined; // empty, or torn by the signal
  }
}

/**
 * Test hook (KAFKA_OFFSET_LAB_PAUSE_IN_PHASE=<phase>): the run waits at the start of that
 * phase until it is interrupted, so a test can signal it in a phase that is otherwise too short
 * to hit (check, report). Resolves at once for every other phase.
 */
export function pauseInPhase(phase: string, env: NodeJS.ProcessEnv, signal: AbortSignal | undefined): Promise<void> {
  if (env.KAFKA_OFFSET_LAB_PAUSE_IN_PHASE !== phase || !signal) return Promise.resolve();
  process.stderr.write(`paused in ${phase} (KAFKA_OFFSET_LAB_PAUSE_IN_PHASE)\n`);
  return new Promise((_resolve, reject) => {
    const stop = () => reject(new UserError(`interrupted in ${phase}`, { exitCode: ExitCode.interrupted }));
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
  });
}
