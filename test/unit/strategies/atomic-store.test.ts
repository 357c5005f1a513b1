import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { atomicStore, atomicStorePath } from '../../../src/strategies/atomic-store.ts';
import { FencedError } from '../../../src/strategies/sqlite.ts';
import { deliveries, fakeRuntime, readContext, tempWorkDir } from './fake-runtime.ts';

async function applyAll(strategy: ReturnType<typeof atomicStore.create>, list: ReturnType<typeof deliveries>) {
  for (const d of list) await strategy.apply?.(d);
}

describe('atomic-store: results and offsets in one SQLite transaction', () => {
  test('a saved batch is read back with its offsets; a new process resumes there', async () => {
    const workDir = tempWorkDir();
    const first = atomicStore.create(fakeRuntime(workDir, 'a-1'), {});
    await first.open?.();
    expect(first.resumePlan()).toEqual({ from: 'checkpoint', positions: {}, authoritative: true });
    await applyAll(first, [...deliveries(0, 0, 3), ...deliveries(1, 0, 2)]);
    await first.save?.({ 0: 3, 1: 2 });
    await first.close?.();

    const second = atomicStore.create(fakeRuntime(workDir, 'a-2'), {});
    await second.open?.();
    expect(second.resumePlan()).toEqual({ from: 'checkpoint', positions: { 0: 3, 1: 2 }, authoritative: true });
    await second.close?.();
    const read = await atomicStore.readEffects!(readContext(workDir), {});
    expect(read.effects).toEqual([...deliveries(0, 0, 3), ...deliveries(1, 0, 2)]);
    expect(first.autoCommit).toBe(false);
  });

  test('results applied before a new assignment are dropped, not saved next to the older offset', async () => {
    const workDir = tempWorkDir();
    const strategy = atomicStore.create(fakeRuntime(workDir, 'a-1'), {});
    strategy.resumePlan();
    await applyAll(strategy, deliveries(0, 0, 5));
    // A rebalance: the loop asks again and seeks to the stored offsets, so 0..4 come again.
    expect(strategy.resumePlan()).toEqual({ from: 'checkpoint', positions: {}, authoritative: true });
    await applyAll(strategy, deliveries(0, 0, 2));
    await strategy.save?.({ 0: 2 });
    await strategy.close?.();
    expect((await atomicStore.readEffects!(readContext(workDir), {})).effects).toEqual(deliveries(0, 0, 2));
  });

  test('SIGKILL inside the transaction: the half-written batch is rolled back, resume from the last commit', async () => {
    const workDir = tempWorkDir();
    const child = spawnSync(process.execPath, ['test/fixtures/crash-inside-save.ts', 'atomic-store', workDir, 'row/a'], { encoding: 'utf8' });
    expect(child.signal).toBe('SIGKILL');
    expect(JSON.parse(child.stdout.trim())).toEqual({ committedRows: 6, lock: 'database is locked' });
    // The killed writer left its write-ahead log behind; the next open recovers without it.
    expect(existsSync(`${atomicStorePath({ workDir, row: 'row/a' })}-wal`)).toBe(true);

    const firstBatch = [...deliveries(0, 0, 4), ...deliveries(1, 0, 2)];
    expect((await atomicStore.readEffects!(readContext(workDir, [], 'row/a'), {})).effects).toEqual(firstBatch);
    const restarted = atomicStore.create(fakeRuntime(workDir, 'a-1', 'row/a'), {});
    expect(restarted.resumePlan()).toEqual({ from: 'checkpoint', positions: { 0: 4, 1: 2 }, authoritative: true });
    await applyAll(restarted, [...deliveries(0, 4, 10), ...deliveries(1, 2, 5)]);
    await restarted.save?.({ 0: 10, 1: 5 });
    await restarted.close?.();
    const effects = (await atomicStore.readEffects!(readContext(workDir, [], 'row/a'), {})).effects;
    expect(effects).toEqual([...firstBatch, ...deliveries(0, 4, 10), ...deliveries(1, 2, 5)]);
  });

  test('a zombie whose partition another member moved on is fenced: its results are dropped', async () => {
    const workDir = tempWorkDir();
    const zombie = atomicStore.create(fakeRuntime(workDir, 'a-1'), {});
    const owner = atomicStore.create(fakeRuntime(workDir, 'a-2'), {});
    zombie.resumePlan();
    await applyAll(zombie, [...deliveries(0, 0, 3), ...deliveries(1, 0, 3)]);
    // Meanwhile the group gave partition 0 to the other member, which saved its progress.
    owner.resumePlan();
    await applyAll(owner, deliveries(0, 0, 5));
    await owner.save?.({ 0: 5 });

    const error = await zombie.save?.({ 0: 3, 1: 3 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FencedError);
    expect((error as FencedError).partitions).toEqual([0]);
    // Partition 1 was still the zombie's: saved. Partition 0 keeps the owner's offset.
    expect(owner.resumePlan()).toEqual({ from: 'checkpoint', positions: { 0: 5, 1: 3 }, authoritative: true });
    await zombie.close?.();
    await owner.close?.();
    const effects = (await atomicStore.readEffects!(readContext(workDir), {})).effects;
    expect(effects).toEqual([...deliveries(0, 0, 5), ...deliveries(1, 0, 3)]);
  });

  test('commitToKafka commits the saved offsets to Kafka after the database, and only then', async () => {
    const workDir = tempWorkDir();
    const runtime = fakeRuntime(workDir, 'a-1');
    const strategy = atomicStore.create(runtime, { commitToKafka: true });
    strategy.resumePlan();
    await applyAll(strategy, deliveries(0, 0, 3));
    await strategy.save?.({ 0: 3 });
    expect(runtime.consumer.commits).toEqual([{ 0: 3 }]);
    await strategy.close?.();

    const plain = fakeRuntime(workDir, 'a-2');
    const quiet = atomicStore.create(plain, {});
    quiet.resumePlan();
    await applyAll(quiet, deliveries(0, 3, 4));
    await quiet.save?.({ 0: 4 });
    expect(plain.consumer.commits).toEqual([]);
    expect(atomicStore.describe({ commitToKafka: true }).claims).toBe('effectively-once');
  });
});
