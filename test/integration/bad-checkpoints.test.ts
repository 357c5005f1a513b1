import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { readJsonl } from '../../src/history/jsonl.ts';
import { runScenario } from '../../src/runner/run-scenario.ts';
import badCheckpointsScenario, { badCheckpoints, refusals } from '../fixtures/bad-checkpoints.ts';
import { sharedBroker } from './shared-broker.ts';

describe('bad checkpoint files on a real broker', () => {
  test('each restart refuses its file, says which and why, and falls back to the log start: exact counts, no harness error', async () => {
    const resultsRoot = mkdtempSync(join(tmpdir(), 'kol-test-results-'));
    const result = await runScenario(badCheckpointsScenario, badCheckpointsScenario.defaults, { broker: sharedBroker(), resultsRoot });
    expect(result.verdict).toBe('valid');
    // Killed after message 110 (batch 3 of 50, 10 into it); earliest repeats all 110.
    for (const kind of Object.keys(badCheckpoints)) {
      const row = result.strategies.find((s) => s.name === kind)!;
      expect(row, kind).toMatchObject({ produced: 300, processed: 410, lost: 0, duplicated: 110, restarts: 1, matchesPrediction: true });
      const fallback = readJsonl(join(result.resultsDir, `history-${kind}.jsonl`)).events.find((e) => e.kind === 'fallback');
      expect(fallback, kind).toMatchObject({ incarnation: 2, reason: 'unreadable', policy: 'earliest' });
      expect((fallback as { detail: string }).detail).toMatch(new RegExp(`^checkpoint-${kind}\\.json: `));
      expect((fallback as { detail: string }).detail).toMatch(refusals[kind]!);
    }
    expect(result.faults.filter((f) => /by a bad file/.test(f))).toHaveLength(6);
  });
});
