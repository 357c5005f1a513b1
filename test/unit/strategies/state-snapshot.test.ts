import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { FencedError } from '../../../src/strategies/sqlite.ts';
import { sideLogPath, stateSnapshot } from '../../../src/strategies/state-snapshot.ts';
import { deliveries, fakeRuntime, readContext, tempWorkDir } from './fake-runtime.ts';

type Strategy = ReturnType<typeof stateSnapshot.create>;
async function applyAll(strategy: Strategy, list: ReturnType<typeof deliveries>) {
  for (const d of list) await strategy.apply?.(d);
}
const produced = [...deliveries(0, 0, 10), ...deliveries(1, 0, 5)];

describe('state-snapshot: state and offsets in one snapshot, a side log outside it', () => {
  test('SIGKILL inside the snapshot: state and offsets come back together; the side log repeats the replayed messages', async () => {
    const workDir = tempWorkDir();
    const child = spawnSync(process.execPath, ['test/fixtures/crash-inside-save.ts', 'state-snapshot', workDir, 'row-a'], { encoding: 'utf8' });
    expect(child.signal).toBe('SIGKILL');
    // Killed after writing partition 0's row of the second snapshot, inside its transaction.
    expect(JSON.parse(child.stdout.trim())).toEqual({ committedRows: 2, lock: 'database is locked' });

    const restarted = stateSnapshot.create(fakeRuntime(workDir, 'a-1'), {});
    expect(restarted.resumePlan()).toEqual({ from: 'checkpoint', positions: { 0: 4, 1: 2 }, authoritative: true });
    await applyAll(restarted, [...deliveries(0, 4, 10), ...deliveries(1, 2, 5)]);
    await restarted.save?.({ 0: 10, 1: 5 });
    await restarted.close?.();

    const read = await stateSnapshot.readEffects!(readContext(workDir, produced), {});
    // 15 messages; the 9 of the lost snapshot's batch were appended twice.
    expect(read.effects).toHaveLength(24);
    expect(read.source).toMatch(/24 lines, 9 repeated/);
    expect(read.state).toEqual({
      description: 'count and sum of seq per key (seq mod 10), from the last snapshot',
      matches: true,
      detail: 'snapshot equals the produced messages: 10 keys, count 15, sum 5055',
    });
  });

  test('state the snapshot missed shows as a mismatch, key by key', async () => {
    const workDir = tempWorkDir();
    const strategy = stateSnapshot.create(fakeRuntime(workDir, 'a-1'), { keys: 2 });
    strategy.resumePlan();
    await applyAll(strategy, deliveries(0, 0, 4)); // seq 0..3
    await strategy.save?.({ 0: 4 });
    await strategy.close?.();
    const read = await stateSnapshot.readEffects!(readContext(workDir, deliveries(0, 0, 5)), { keys: 2 });
    expect(read.state?.matches).toBe(false);
    expect(read.state?.detail).toBe('snapshot count 4, sum 6; expected count 5, sum 10; key 0: snapshot count 2, sum 2, expected count 3, sum 6');
  });

  test('an assignment restores the snapshot: state applied since is dropped, not counted twice on replay', async () => {
    const workDir = tempWorkDir();
    const strategy = stateSnapshot.create(fakeRuntime(workDir, 'a-1'), {});
    strategy.resumePlan();
    await applyAll(strategy, deliveries(0, 0, 3));
    await strategy.save?.({ 0: 3 });
    await applyAll(strategy, deliveries(0, 3, 6));
    expect(strategy.resumePlan()).toEqual({ from: 'checkpoint', positions: { 0: 3 }, authoritative: true });
    await applyAll(strategy, deliveries(0, 3, 6));
    await strategy.save?.({ 0: 6 });
    await strategy.close?.();
    const read = await stateSnapshot.readEffects!(readContext(workDir, deliveries(0, 0, 6)), {});
    expect(read.state?.matches).toBe(true);
    expect(readFileSync(sideLogPath({ workDir, row: 'row-a' }), 'utf8').trim().split('\n')).toHaveLength(9);
  });

  test('a zombie cannot overwrite the snapshot of a partition another member moved on', async () => {
    const workDir = tempWorkDir();
    const zombie = stateSnapshot.create(fakeRuntime(workDir, 'a-1'), {});
    const owner = stateSnapshot.create(fakeRuntime(workDir, 'a-2'), {});
    zombie.resumePlan();
    await applyAll(zombie, deliveries(0, 0, 2));
    owner.resumePlan();
    await applyAll(owner, deliveries(0, 0, 4));
    await owner.save?.({ 0: 4 });
    await expect(zombie.save?.({ 0: 2 })).rejects.toBeInstanceOf(FencedError);
    expect(owner.resumePlan()).toEqual({ from: 'checkpoint', positions: { 0: 4 }, authoritative: true });
    await zombie.close?.();
    await owner.close?.();
    expect((await stateSnapshot.readEffects!(readContext(workDir, deliveries(0, 0, 4)), {})).state?.matches).toBe(true);
    expect(stateSnapshot.describe({}).claims).toBe('at-least-once');
  });
});
