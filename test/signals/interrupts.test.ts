import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, test } from 'vitest';
import type { InterruptedRecord } from '../../src/cli/interrupted.ts';
import { waitFor } from '../../src/util/wait-for.ts';
import { cleanEnv } from '../env.ts';
import { descendants, isBroker, isStrategy, stillRunning } from '../processes.ts';

/**
 * Ctrl-C (SIGINT) and SIGTERM in every phase of a run: the exit code says which signal, nothing
 * the run started is left, and the run folder keeps what was measured with interrupted.json.
 * Long phases are hit while they run; the short ones (produce, fault, check, report) through the
 * test hook that holds the run at the start of a phase. Three runs start a local JVM broker of
 * their own (at its start, while strategies run beside it, and in the last phase), so that "nothing
 * left" includes the broker they started; the others use the suite's broker, as a run against a
 * user's cluster does (each own broker cost ~2.5 CPU-s and ~2 s, process accounting).
 */
interface Case {
  phase: string;
  scenario: string;
  signal: 'SIGINT' | 'SIGTERM';
  /** Hold the run at the start of the phase (KAFKA_OFFSET_LAB_PAUSE_IN_PHASE). */
  pause: boolean;
  /** The run starts a local JVM broker of its own (--broker local); else it uses the suite's. */
  ownBroker: boolean;
  /** What must run below the CLI when the signal is sent. */
  running: Array<(args: string) => boolean>;
  produced: number | undefined;
}

const cases: Case[] = [
  { phase: 'broker start', scenario: 'crash-mid-batch', signal: 'SIGTERM', pause: false, ownBroker: true, running: [isBroker], produced: undefined },
  { phase: 'produce', scenario: 'crash-mid-batch', signal: 'SIGINT', pause: true, ownBroker: false, running: [], produced: undefined },
  { phase: 'consume+crash', scenario: 'crash-mid-batch', signal: 'SIGTERM', pause: false, ownBroker: true, running: [isBroker, isStrategy], produced: 1000 },
  { phase: 'fault', scenario: 'checkpoint-lost', signal: 'SIGINT', pause: true, ownBroker: false, running: [], produced: 1000 },
  { phase: 'restart+drain', scenario: 'crash-mid-batch', signal: 'SIGINT', pause: false, ownBroker: false, running: [isStrategy], produced: 1000 },
  { phase: 'check', scenario: 'crash-mid-batch', signal: 'SIGTERM', pause: true, ownBroker: false, running: [], produced: 1000 },
  { phase: 'report', scenario: 'crash-mid-batch', signal: 'SIGINT', pause: true, ownBroker: true, running: [isBroker], produced: 1000 },
];

describe('a signal in any phase: exit 130/143, nothing left running, the folder says interrupted', () => {
  test.each(cases)('$signal in $phase ($scenario, own broker: $ownBroker)', async ({ phase, scenario, signal, pause, ownBroker, running, produced }) => {
    const broker = ownBroker ? { KAFKA_BROKERS: undefined } : { KAFKA_BROKERS: inject('brokers').join(','), KAFKA_SESSION_TIMEOUT_MS: '3000' };
    const env = cleanEnv({ ...broker, ...(pause ? { KAFKA_OFFSET_LAB_PAUSE_IN_PHASE: phase } : {}) });
    const child = spawn(process.execPath, ['src/cli/scenario-main.ts', scenario, ...(ownBroker ? ['--broker', 'local'] : [])], { env });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const marker = pause ? `paused in ${phase}` : `… ${phase}\n`;
    await waitFor(() => stderr.includes(marker), { maxWaitMs: 90_000, description: `the ${phase} phase` });
    // The phase's processes are up (the broker JVM takes a moment to appear during its start).
    const tree = await waitFor(
      () => {
        const now = descendants(child.pid!);
        return running.every((is) => [...now.values()].some(is)) ? now : undefined;
      },
      { maxWaitMs: 30_000, description: `the processes of ${phase}` },
    );
    child.kill(signal);
    expect(await exited).toBe(signal === 'SIGTERM' ? 143 : 130);
    expect(stderr).toMatch(signal === 'SIGTERM' ? /terminated \(SIGTERM\); what was measured so far is in/ : /interrupted; what was measured so far is in/);
    await waitFor(() => stillRunning(tree.keys()).length === 0, { maxWaitMs: 15_000, description: 'nothing the run started is left' });

    const folder = /^results: (\S+)/m.exec(stderr)?.[1];
    expect(folder).toBeDefined();
    const record = JSON.parse(readFileSync(join(folder!, 'interrupted.json'), 'utf8')) as InterruptedRecord;
    expect(record).toMatchObject({ interrupted: true, signal, exitCode: signal === 'SIGTERM' ? 143 : 130, phase, scenario });
    expect(record.measured['history-runner.jsonl']?.produced).toBe(produced);
    // Only a run interrupted while reporting has its complete result beside the record.
    expect(record.resultWritten).toBe(phase === 'report');
    expect(existsSync(join(folder!, 'result.json'))).toBe(phase === 'report');
  });
});
