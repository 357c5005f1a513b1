import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { runScenario } from '../../src/runner/run-scenario.ts';
import { ExitCode, runFailure } from '../../src/util/errors.ts';
import { hungConsumer } from '../fixtures/broken-world.ts';
import { descendants, isStrategy } from '../processes.ts';
import { sharedBroker } from './shared-broker.ts';

test('a consumer suspended for good: the run stops at the stall bound (20 s), names it and its log, exit 3, no counts, no child left', async () => {
  const resultsRoot = mkdtempSync(join(tmpdir(), 'kol-test-results-'));
  const workDir = join(resultsRoot, 'hung');
  const began = performance.now();
  const error = await runScenario(hungConsumer, hungConsumer.defaults, { broker: sharedBroker(), workDir }).then(
    () => undefined,
    (e: unknown) => e,
  );
  const elapsed = performance.now() - began;
  const failure = runFailure(error, [workDir]);
  expect(failure.exitCode).toBe(ExitCode.environment);
  expect(failure.message).toMatch(/^file-checkpoint \(pid \d+\) made no progress for 20 s .*no counts from this run: file-checkpoint had been suspended \(SIGSTOP\)/);
  expect(failure.hint).toContain(join(workDir, 'file-checkpoint.log'));
  // The bound, not the 90 s phase timeout: start-up + 20 s of silence + the check every second.
  expect(elapsed).toBeLessThan(45_000);
  expect(existsSync(join(workDir, 'result.json'))).toBe(false);
  expect([...descendants(process.pid).values()].filter(isStrategy)).toEqual([]);
});
