import { describe, expect, test } from 'vitest';
import { idempotentSink } from '../../../src/strategies/idempotent-sink.ts';
import { deliveries, fakeRuntime, readContext, tempWorkDir } from './fake-runtime.ts';

describe('idempotent-sink: at-least-once delivery into an upsert', () => {
  test('a redelivered batch leaves one row per message; the repeats are counted, not stored', async () => {
    const workDir = tempWorkDir();
    const runtime = fakeRuntime(workDir, 's-1');
    const first = idempotentSink.create(runtime, {});
    await first.open?.();
    expect(first.resumePlan()).toEqual({ from: 'kafka' });
    for (const d of deliveries(0, 0, 6)) await first.apply?.(d);
    await first.save?.({ 0: 6 });
    for (const d of deliveries(0, 6, 10)) await first.apply?.(d);
    // Crash before the second commit: Kafka still says 6, so 6..9 are delivered again.
    expect(runtime.consumer.commits).toEqual([{ 0: 6 }]);

    const again = idempotentSink.create(fakeRuntime(workDir, 's-1'), {});
    for (const d of deliveries(0, 6, 10)) await again.apply?.(d);
    await again.save?.({ 0: 10 });
    await again.close?.();

    const read = await idempotentSink.readEffects!(readContext(workDir), {});
    expect(read.effects).toEqual(deliveries(0, 0, 10));
    expect(read.source).toMatch(/10 rows from 14 writes: the upsert absorbed 4 repeated deliveries on 4 rows/);
  });

  test('each upsert is durable when apply returns: a second connection sees it before any commit', async () => {
    const workDir = tempWorkDir();
    const strategy = idempotentSink.create(fakeRuntime(workDir, 's-1'), {});
    await strategy.apply?.({ partition: 2, offset: 7, seq: 42 });
    const read = await idempotentSink.readEffects!(readContext(workDir), {});
    expect(read.effects).toEqual([{ partition: 2, offset: 7, seq: 42 }]);
    await strategy.close?.();
  });

  test('a crash during the save happens before the commit is sent', async () => {
    const runtime = fakeRuntime(tempWorkDir(), 's-1');
    const strategy = idempotentSink.create(runtime, {});
    const died = await strategy.save?.({ 0: 3 }, () => {
      throw new Error('killed');
    }).catch((e: unknown) => (e as Error).message);
    expect(died).toBe('killed');
    expect(runtime.consumer.commits).toEqual([]);
  });
});
