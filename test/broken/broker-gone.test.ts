import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { StartedBroker } from '../../src/broker/broker.ts';
import { startLocalJvmBroker } from '../../src/broker/local-jvm.ts';
import { runScenario } from '../../src/runner/run-scenario.ts';
import { ExitCode, runFailure } from '../../src/util/errors.ts';
import { brokerGone } from '../fixtures/broken-world.ts';
import { descendants, isBroker, isStrategy } from '../processes.ts';

/** Its own broker: the test kills it for good. */
const dir = mkdtempSync(join(tmpdir(), 'kol-broker-gone-'));
let broker: StartedBroker;
beforeAll(async () => {
  broker = await startLocalJvmBroker({ logPath: join(dir, 'broker.log') });
});
afterAll(async () => {
  await broker?.stop();
  expect([...descendants(process.pid).values()].filter(isBroker)).toEqual([]);
});

test('the broker dies mid-run and does not come back: exit 3 within a bound, a clear message, no counts, no child left', async () => {
  const workDir = join(dir, 'run');
  const began = performance.now();
  const error = await runScenario(brokerGone, brokerGone.defaults, { broker, workDir }).then(
    () => undefined,
    (e: unknown) => e,
  );
  const elapsed = performance.now() - began;
  const failure = runFailure(error, [workDir]);
  expect(failure.exitCode).toBe(ExitCode.environment);
  expect(failure.message).toMatch(new RegExp(`^the broker at ${broker.brokers[0]} stopped answering during consume\\+crash and did not come back within 10 s; the run stopped without counts`));
  // At worst the stall bound (20 s) and the broker probe (10 s) after the kill, never the 90 s phase timeout.
  expect(elapsed).toBeLessThan(60_000);
  expect(existsSync(join(workDir, 'result.json'))).toBe(false);
  expect([...descendants(process.pid).values()].filter(isStrategy)).toEqual([]);
});
