import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { readEvidenceRun } from '../../src/claims/from-run.ts';
import { evidenceScenarios } from '../../src/claims/verdicts.ts';
import { UserError } from '../../src/util/errors.ts';
import { cleanEnv } from '../env.ts';
import { allRunStamp, writeAllRun } from '../fixtures/all-run.ts';

const stamp = allRunStamp;
const allRun = writeAllRun;

const refusal = (folder: string): string => {
  try {
    readEvidenceRun(folder);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as Error).message;
  }
  throw new Error('not refused');
};

describe('claims --from: the evidence of an earlier "all" run', () => {
  test('every evidence scenario of that run, in the verdicts\' order, where its folder is now', () => {
    const folder = allRun();
    const results = readEvidenceRun(folder);
    expect(results.map((r) => r.scenario)).toEqual([...evidenceScenarios]);
    expect(results[0]!.resultsDir).toBe(join(folder, '..', '..', 'crash-mid-batch', stamp));
    // any scenario folder of the run names it too
    expect(readEvidenceRun(join(folder, '..', '..', 'seek-replay', stamp)).map((r) => r.scenario)).toEqual([...evidenceScenarios]);
  });

  test('refused with one line naming the file: a scenario missing, other knobs, another client, a torn file, a bad count', () => {
    expect(refusal('/nonexistent/all/x')).toBe('--from /nonexistent/all/x: no such folder');
    expect(refusal(allRun((name, r) => (name === 'seek-replay' ? undefined : r)))).toMatch(/that run has no seek-replay result \(.*seek-replay\/2026-12-03T10-00-00-000\/result\.json is missing\)$/);
    expect(refusal(allRun((name, r) => (name === 'torn-checkpoint' ? { ...r, knobs: { ...(r.knobs as object), crashBatch: 5 } } : r)))).toMatch(
      /torn-checkpoint did not run with its defaults .*; the verdicts are defined on them/,
    );
    expect(refusal(allRun((name, r) => (name === 'crash-mid-batch' ? { ...r, client: 'platformatic' } : r)))).toMatch(/crash-mid-batch ran on platformatic; the claims are judged on kafkajs runs/);
    const torn = allRun();
    writeFileSync(join(torn, '..', '..', 'two-services', stamp, 'result.json'), '{"scenario": "two-serv');
    expect(refusal(torn)).toMatch(/two-services\/2026-12-03T10-00-00-000\/result\.json: not JSON/);
    const negative = { name: 'x', produced: 1000, lost: -1, duplicated: 0, duplicatedDeliveries: 0, delivered: 999 };
    expect(refusal(allRun((name, r) => (name === 'zombie-consumer' ? { ...r, strategies: [negative] } : r)))).toMatch(/field "strategies\[0\]\.lost" must be a whole number, got -1/);
  });

  test('the command: a bad --from is one line and exit 2, before any broker starts', () => {
    const run = spawnSync(process.execPath, ['src/cli/claims-main.ts', '--from', '/nonexistent/all/x'], { encoding: 'utf8', env: cleanEnv({ KAFKA_BROKERS: '127.0.0.1:1' }) });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--from \/nonexistent\/all\/x: no such folder/);
    expect(run.stderr).not.toMatch(/cannot reach|\n\s+at /);
  });
});
