import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { claimIds } from '../../src/claims/claims.ts';
import { runClaims } from '../../src/claims/run-claims.ts';
import { sharedBroker } from './shared-broker.ts';

// One claims run on the suite's broker (every evidence scenario with its defaults, save-cost
// with one run): every claim gets a verdict, and its evidence is this run's numbers.
describe('npm run claims on a real broker', { timeout: 240_000 }, () => {
  test('16 verdicts, each with evidence read from this run', async () => {
    const workDir = mkdtempSync(join(tmpdir(), 'kol-claims-'));
    const run = await runClaims({ broker: sharedBroker(), workDir, saveCost: { messages: 1000, runs: 1, intervals: [1, 100] } });
    expect(run.results.every((r) => r.matchesPrediction)).toBe(true);
    expect(run.verdicts.map((v) => v.id)).toEqual([...claimIds]);
    const measured = new Map(run.results.flatMap((r) => r.strategies.map((s) => [`${r.scenario}/${s.name}`, s])));
    for (const v of run.verdicts) {
      expect(v.kind, v.id).not.toBe('not-measured');
      expect(v.evidence.length, v.id).toBeGreaterThan(0);
      for (const e of v.evidence) {
        if (e.scenario === 'save-cost') {
          const row = run.saveCost.rows.find((r) => `${r.mode}, every ${r.interval}` === e.row)!;
          expect(e.numbers).toBe(`${row.median} msg/s (median, timing)`);
          continue;
        }
        const s = measured.get(`${e.scenario}/${e.row}`)!;
        expect(e.numbers, `${v.id}: ${e.scenario}/${e.row}`).toMatch(new RegExp(`^lost ${s.lost}, duplicated ${s.duplicated}\\b`));
      }
    }
    // The new scenario's exact counts, and the verdicts they give.
    const seek = run.results.find((r) => r.scenario === 'seek-replay')!;
    expect(Object.fromEntries(seek.strategies.map((s) => [s.name, s.duplicated]))).toEqual({ resumes: 0, 'offset-reset': 1000, 'new-group': 1000, 'seek-back': 500 });
    expect(run.verdicts.find((v) => v.id === 'C1')!.kind).toBe('holds-only-when');
    expect(run.verdicts.find((v) => v.id === 'B4')!.kind).toBe('holds-only-when');
    expect(run.saveCost.rows.every((r) => r.median > 0)).toBe(true);
  });
});
