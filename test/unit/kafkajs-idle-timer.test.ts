import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { repoRoot } from '../../src/util/paths.ts';

// Each in a fresh process: the fix changes kafkajs's class for the whole process once imported.
const timers = (variant: 'stock' | 'fixed') =>
  JSON.parse(execFileSync(process.execPath, [join(repoRoot, 'test', 'fixtures', 'request-queue-timers.ts'), variant], { encoding: 'utf8' })) as { idleChecks: number; sentAfterMs: number };

test("an idle kafkajs connection no longer checks its request queue every millisecond; a throttled request still goes out when the throttle ends", () => {
  const stock = timers('stock');
  const fixed = timers('fixed');
  // kafkajs 2.2.4 as published: a 1 ms timer loop (~170 checks in the 200 ms idle here; fewer on a busy machine).
  expect(stock.idleChecks).toBeGreaterThan(20);
  // With src/kafka/kafkajs-idle-timer.ts: nothing pending, no throttle, no timer.
  expect(fixed.idleChecks).toBe(0);
  // A request made while the broker throttles the client (50 ms) is sent when the throttle ends, with or without the fix.
  // (-1: not sent within 300 ms.)
  for (const run of [stock, fixed]) expect(run.sentAfterMs).toBeGreaterThanOrEqual(49);
});
