import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, test } from 'vitest';
import { findScenario, scenarios } from '../../scenarios/index.ts';
import { claimIds } from '../../src/claims/claims.ts';
import { evidenceScenarios } from '../../src/claims/verdicts.ts';
import type { HistoryEvent } from '../../src/history/events.ts';
import { readRunHistory, runHistoryFiles } from '../../src/history/run-files.ts';
import type { RunResult } from '../../src/runner/run-result.ts';
import { startLocalJvmBroker } from '../../src/broker/local-jvm.ts';
import { runScenario } from '../../src/runner/run-scenario.ts';
import { cleanEnv } from '../env.ts';

const resultsRoot = mkdtempSync(join(tmpdir(), 'kol-catalogue-'));
const counts = (result: RunResult) =>
  Object.fromEntries(result.strategies.map((s) => [s.name, { lost: s.lost, duplicated: s.duplicated, retention: s.lostByRetention }]));
/** Effects (lost/duplicated) and deliveries repeated, per row (for rows with a store of their own). */
const effects = (result: RunResult) =>
  Object.fromEntries(result.strategies.map((s) => [s.name, { lost: s.lost, duplicated: s.duplicated, redelivered: s.duplicatedDeliveries }]));

/**
 * The whole catalogue runs ONCE, as a user runs it: `npm run scenario all --json`, three
 * scenarios at a time on the suite's broker (with the teaching session). Every test below
 * reads its scenario's counts from that one concurrent run and asserts the exact numbers a
 * scenario gives when it runs alone (the literals are those of one-by-one runs; the knob grid
 * and the other files run scenarios one by one): running side by side changes no count.
 */
const allRun = new Map<string, RunResult>();
let allStderr = '';
beforeAll(async () => {
  const child = spawn(process.execPath, ['src/cli/scenario-main.ts', 'all', '--json', '--jobs', '3'], {
    env: cleanEnv({ KAFKA_BROKERS: inject('brokers').join(','), KAFKA_SESSION_TIMEOUT_MS: '1500', KAFKA_OFFSET_LAB_RESULTS: resultsRoot }),
  });
  let stdout = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (allStderr += c));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  // On a failure, what the command said (the summary run's error is otherwise lost).
  expect(code, allStderr).toBe(0);
  for (const result of (JSON.parse(stdout) as { scenarios: RunResult[] }).scenarios) allRun.set(result.scenario, result);
}, 300_000);

function run(name: string): RunResult {
  const result = allRun.get(name);
  expect(result, `${name} is not in the 'all' run; its stderr:\n${allStderr}`).toBeDefined();
  expect(result!.verdict).not.toBe('unknown');
  expect(result!.strategies.every((s) => s.unplannedRebalances === 0)).toBe(true);
  return result!;
}
const historyOf = (result: RunResult): HistoryEvent[] => readRunHistory(runHistoryFiles(result.resultsDir));

// Defaults everywhere: 1000 messages, 1 partition, batches of 100, crash 37 into batch 3 (message 237).
describe('the scenario catalogue on a real broker: exact counts from the mechanism', () => {
  test('commit-before-process: committing first loses the rest of the batch', () => {
    // Killed before processing message 237. After-process last committed 200 and processed
    // 201..236 since: 36 repeated. Before-process committed 300 before message 201:
    // messages 237..300 are skipped, 64 lost.
    expect(counts(run('commit-before-process'))).toEqual({
      'commit-after-process': { lost: 0, duplicated: 36, retention: 0 },
      'commit-before-process': { lost: 64, duplicated: 0, retention: 0 },
    });
  });

  test('auto-commit-async: handing the work off loses it, awaiting it repeats it', () => {
    const result = run('auto-commit-async');
    const by = counts(result);
    // awaited: nothing committed before the end of the first fetch (all 1000): 237 repeated.
    expect(by.awaited).toEqual({ lost: 0, duplicated: 237, retention: 0 });
    // handed-off: kafkajs returned from eachMessage for all 1000 in milliseconds and committed
    // the end (1000) long before the worker (2 ms a message) reached 237: 238..1000 lost, and
    // the loss is exactly what survived in Kafka ahead of the work at the crash.
    const handedOff = result.strategies.find((s) => s.name === 'handed-off')!;
    expect(handedOff).toMatchObject({ lost: 763, duplicated: 0 });
    expect(handedOff.lost).toBe(handedOff.crashes[0]!.savedNotProcessed);
    expect(handedOff.verdict).toBe('invalid'); // it claims at-least-once and lost messages
  });

  test('off-by-one-commit: committing C instead of C+1 repeats one more per partition', () => {
    // Both committed after message 200; offset+1 says 200, offset says 199 (message 200 again).
    expect(counts(run('off-by-one-commit'))).toEqual({
      'commit offset+1': { lost: 0, duplicated: 37, retention: 0 },
      'commit offset': { lost: 0, duplicated: 38, retention: 0 },
    });
  });

  test('torn-checkpoint: in-place writes tear, atomic writes survive', () => {
    // Crashed while saving after message 300: in place the file is empty (SIGKILL) or half
    // written (power loss). earliest → all 300 again; latest → 301..1000 skipped (700).
    // Atomic: the old file (200) survives → 100 again.
    expect(counts(run('torn-checkpoint'))).toEqual({
      'in-place+earliest': { lost: 0, duplicated: 300, retention: 0 },
      'in-place+latest': { lost: 700, duplicated: 0, retention: 0 },
      'power-loss+earliest': { lost: 0, duplicated: 300, retention: 0 },
      atomic: { lost: 0, duplicated: 100, retention: 0 },
    });
  });

  test('checkpoint-lost: the file is gone, the Kafka commit is not', () => {
    // manual-commit resumes at 200 (37 repeated); without a file: earliest repeats all 237,
    // latest skips 238..1000 (763).
    expect(counts(run('checkpoint-lost'))).toEqual({
      'manual-commit': { lost: 0, duplicated: 37, retention: 0 },
      'file-checkpoint+earliest': { lost: 0, duplicated: 237, retention: 0 },
      'file-checkpoint+latest': { lost: 763, duplicated: 0, retention: 0 },
    });
  });

  test('stale-checkpoint: an old checkpoint replays, one ahead of the work skips', () => {
    // restored-backup gets its first file back (100): 101..237 again (137). ahead gets 500:
    // 238..500 never processed (263).
    expect(counts(run('stale-checkpoint'))).toEqual({
      'manual-commit': { lost: 0, duplicated: 37, retention: 0 },
      'restored-backup': { lost: 0, duplicated: 137, retention: 0 },
      ahead: { lost: 263, duplicated: 0, retention: 0 },
    });
  });

  test('two-services: separate groups see everything; a shared checkpoint file corrupts both', () => {
    // A crashes at 237 (file: 200); B starts at 200, crashes after 337 of its own (message 537,
    // file: 500); A restarts at 500 (238..500 lost: 263); B restarts at the end A wrote:
    // it never reads 1..200 nor 538..1000 (663 lost).
    expect(counts(run('two-services'))).toEqual({
      'service-A': { lost: 0, duplicated: 0, retention: 0 },
      'service-B': { lost: 0, duplicated: 0, retention: 0 },
      'shared-file-A': { lost: 263, duplicated: 0, retention: 0 },
      'shared-file-B': { lost: 663, duplicated: 0, retention: 0 },
    });
  });

  test('rebalance-handoff: commits follow a moved partition, per-instance checkpoint files do not', () => {
    // 4 partitions of 250, two members per group (2 partitions each). #1 dies after 237 messages
    // of its first partition; #2 takes over. manual-commit: resumes at #1's commit 200 (37 again).
    // auto-commit: nothing committed for that partition (237 again). file-checkpoint: #2 starts
    // the moved partitions at 0 (237 again); the restarted #1 knows only its old partition
    // (200 → 50 again) and replays the other three (750): 1037.
    expect(counts(run('rebalance-handoff'))).toEqual({
      'auto-commit': { lost: 0, duplicated: 237, retention: 0 },
      'manual-commit': { lost: 0, duplicated: 37, retention: 0 },
      'file-checkpoint': { lost: 0, duplicated: 1037, retention: 0 },
    });
  });

  test('zombie-consumer: Kafka fences the stale commit, the checkpoint file goes backwards', () => {
    // 4 partitions of 500; #1 frozen (SIGSTOP) right before saving after message 300 of its
    // first partition; #2 takes over and drains; #1 continues (SIGCONT) and saves.
    const result = run('zombie-consumer');
    const by = counts(result);
    // manual-commit: #2 repeats 201..300 from #1's last commit (100), plus whatever the zombie
    // processed from data it had fetched before it noticed (timing: the bound is asserted).
    expect(by['manual-commit']!.lost).toBe(0);
    expect(by['manual-commit']!.duplicated).toBeGreaterThanOrEqual(100);
    expect(by['manual-commit']!.duplicated).toBeLessThanOrEqual(800);
    // file-checkpoint: the zombie processed every message once; so did #2, except the messages
    // before its resume point on the zombie's partition, read from the shared file (0, 100 or
    // 200 depending on which member wrote last: timing). 1800..2000 repeated.
    expect(by['file-checkpoint']!.lost).toBe(0);
    expect(by['file-checkpoint']!.duplicated).toBeGreaterThanOrEqual(1800);
    expect(by['file-checkpoint']!.duplicated).toBeLessThanOrEqual(2000);

    const history = historyOf(result);
    // The zombie's commit was refused by the broker ...
    const rejected = history.filter((e) => e.kind === 'save-failed');
    expect(rejected.map((e) => e.kind === 'save-failed' && e.strategy)).toEqual(['manual-commit#1']);
    expect(rejected[0]!.kind === 'save-failed' && rejected[0]!.error).toMatch(/not aware of this member|generation/i);
    // ... while the shared checkpoint file accepted it and went backwards: after #2 had saved
    // every partition at 500, the zombie wrote its old position (300 on one partition) over it.
    const fileSaves = history.filter((e): e is Extract<HistoryEvent, { kind: 'saved' }> => e.kind === 'saved' && e.via === 'checkpoint-file');
    const lastOfSurvivor = fileSaves.filter((e) => e.strategy === 'file-checkpoint#2').at(-1)!;
    expect(Object.values(lastOfSurvivor.positions)).toEqual([500, 500, 500, 500]);
    const zombieSave = fileSaves.find((e) => e.strategy === 'file-checkpoint#1' && e.time > lastOfSurvivor.time)!;
    expect(Object.values(zombieSave.positions)).toEqual([300]);
  });

  test('retention-gap: data deleted before it is read is lost to every strategy alike', () => {
    // Records before offset 500 deleted after the crash at 237: every saved offset is out of
    // range, the reset (earliest) goes to 500; 238..500 never read (263, by retention); the
    // unsaved 201..237 are gone too, so nothing is repeated.
    const row = { lost: 0, duplicated: 0, retention: 263 };
    expect(counts(run('retention-gap'))).toEqual({ 'auto-commit': row, 'manual-commit': row, 'file-checkpoint': row });
  });

  test('broker-restart: commits fail while the broker is down, are retried, and land: nothing lost or repeated', async () => {
    // Its own local broker: this one gets SIGKILLed and restarted.
    await using broker = await startLocalJvmBroker({ logPath: join(resultsRoot, 'restart-broker.log') });
    const scenario = findScenario('broker-restart')!;
    const result = await runScenario(scenario, scenario.defaults, { broker, resultsRoot });
    // Every consumer held after message 237, the broker was killed, they went on with what they
    // had fetched; the 30 s sessions outlast the outage, so the retried commits land: 0/0.
    expect(counts(result)).toEqual({
      'auto-commit': { lost: 0, duplicated: 0, retention: 0 },
      'manual-commit': { lost: 0, duplicated: 0, retention: 0 },
      'file-checkpoint': { lost: 0, duplicated: 0, retention: 0 },
    });
    const history = historyOf(result);
    const killed = history.find((e) => e.kind === 'fault' && e.description.startsWith('SIGKILL the broker'))!;
    const restarted = history.find((e) => e.kind === 'fault' && e.description.startsWith('broker restarted'))!;
    // manual-commit's commit at the end of batch 3 was sent during the outage and landed after it
    const commit300 = history.find((e) => e.kind === 'saved' && e.strategy === 'manual-commit' && e.positions[0] === 300)!;
    expect(killed.kind === 'fault' && commit300.kind === 'saved' && commit300.time > killed.time).toBe(true);
    expect(restarted.kind === 'fault' && commit300.kind === 'saved' && commit300.time >= restarted.time - 1000).toBe(true);
  });

  test('npm run scenario all: every scenario that leaves the broker alone, crash-mid-batch exact', () => {
    // on an external cluster the broker cannot be restarted: that scenario is skipped, said on stderr
    expect([...allRun.keys()]).toEqual(scenarios.filter((s) => !s.needsRestartableBroker && !s.needsCluster).map((s) => s.name));
    expect([...allRun.values()].every((r) => r.matchesPrediction)).toBe(true);
    expect(counts(run('crash-mid-batch'))).toEqual({
      'auto-commit': { lost: 0, duplicated: 237, retention: 0 },
      'manual-commit': { lost: 0, duplicated: 37, retention: 0 },
      'file-checkpoint': { lost: 0, duplicated: 37, retention: 0 },
    });
  });

  test('the-right-way: only the rows that keep offsets apart from results repeat effects', () => {
    // Crash after message 237: every row is redelivered the 37 unsaved messages; only the
    // separate checkpoint file and the side log outside the snapshot repeat them.
    const redelivered = { lost: 0, duplicated: 0, redelivered: 37 };
    expect(effects(run('the-right-way'))).toEqual({
      'file-checkpoint': { lost: 0, duplicated: 37, redelivered: 37 },
      'atomic-store': redelivered,
      'atomic-store+kafka': redelivered,
      'idempotent-sink': redelivered,
      'state-snapshot': { lost: 0, duplicated: 37, redelivered: 37 },
      'kafka-transactions': redelivered,
    });
    // A batch's output is sent at its save: the killed batch left nothing in the output topic.
    const transactions = run('the-right-way').strategies.find((s) => s.name === 'kafka-transactions')!;
    expect(transactions.effectStore?.source).toMatch(/read_committed: 1000 records; a read_uncommitted reader sees 1000 \(0 from aborted transactions\)$/);
  });

  test('crash-during-save: between results and offsets, and inside the save', () => {
    // The save after batch 3 (message 300): every row is redelivered batch 3 (100).
    const repeats = { lost: 0, duplicated: 100, redelivered: 100 };
    const once = { lost: 0, duplicated: 0, redelivered: 100 };
    expect(effects(run('crash-during-save'))).toEqual({
      'file-checkpoint/between': repeats,
      'file-checkpoint/during': repeats,
      'atomic-store/between': once,
      'atomic-store/during': once,
      'idempotent-sink/during': once,
      'kafka-transactions/during': once,
      'state-snapshot/during': repeats,
    });
    // Killed after sending batch 3's output and offsets, before the commit: the restarted
    // producer's InitProducerId aborted that transaction; only read_uncommitted sees its 100.
    const transactions = run('crash-during-save').strategies.find((s) => s.name === 'kafka-transactions/during')!;
    expect(transactions.effectStore?.source).toMatch(/read_committed: 1000 records; a read_uncommitted reader sees 1100 \(100 from aborted transactions\)$/);
  });

  test('rebalance-right-way: a store the group shares follows the partition to the survivor', () => {
    // #1 dies after its message 237 (last save 200): the survivor resumes at 200 from the
    // database or the transactions' offsets (37 redelivered, no effect twice); per-instance files
    // replay 237 + 250 − 200 + 3·250 = 1037.
    expect(effects(run('rebalance-right-way'))).toEqual({
      'file-checkpoint': { lost: 0, duplicated: 1037, redelivered: 1037 },
      'atomic-store': { lost: 0, duplicated: 0, redelivered: 37 },
      'kafka-transactions': { lost: 0, duplicated: 0, redelivered: 37 },
    });
  });

  test('zombie-right-way: the position check and the transactional id refuse the stale save', () => {
    // #1 frozen right before its save after message 300; #2 resumes at 200 (100 redelivered);
    // the woken zombie's save is refused and its process ends.
    const result = run('zombie-right-way');
    const by = effects(result);
    expect(by['atomic-store']).toEqual({ lost: 0, duplicated: 0, redelivered: 100 });
    expect(by['kafka-transactions']).toEqual({ lost: 0, duplicated: 0, redelivered: 100 });
    expect(by['file-checkpoint']!.lost).toBe(0);
    expect(by['file-checkpoint']!.duplicated).toBeGreaterThanOrEqual(1800);
    // One transactional id per process: only the group could fence the zombie, and kafkajs sends no membership.
    expect(new Set(result.unsupported?.map((u) => `${u.row} on ${u.client}`))).toEqual(new Set(['kafka-transactions/process-id on kafkajs']));
  });

  test('seek-replay: after a commit, only resuming the same group reads nothing again', () => {
    expect(Object.fromEntries(run('seek-replay').strategies.map((s) => [s.name, s.duplicated]))).toEqual({ resumes: 0, 'offset-reset': 1000, 'new-group': 1000, 'seek-back': 500 });
  });

  test('client-semantics: its default auto-commit skips the buffered messages; handed-off work only repeats', () => {
    const result = run('client-semantics');
    const by = Object.fromEntries(result.strategies.map((s) => [s.name, `${s.lost}/${s.duplicated}`]));
    expect(by).toMatchObject({
      'auto-commit@kafkajs': '0/237',
      'auto-commit@platformatic': '0/237',
      'auto-commit-default@kafkajs': '0/237',
      'auto-commit-default@platformatic': '763/0',
      'handed-off@platformatic': '0/237',
      'manual-commit@platformatic': '0/37',
      'file-checkpoint@platformatic': '0/37',
      'atomic-store@platformatic': '0/0',
      'kafka-transactions@kafkajs': '0/0',
      'kafka-transactions@platformatic': '0/0',
    });
    expect(result.strategies.find((s) => s.name === 'handed-off@kafkajs')!.duplicated).toBe(0);
    expect(result.strategies.find((s) => s.name === 'kafka-transactions@platformatic')!.duplicatedDeliveries).toBe(37);
    expect(result.unsupported ?? []).toEqual([]);
    expect(result.matchesPrediction).toBe(true);
  });
});

/**
 * npm run claims -- --from: the verdicts of this 'all' run (the evidence scenarios are run once
 * in the suite, here; claims without --from runs the same scenarios with the same defaults the
 * same way, three at a time). Only save-cost is measured, with one run.
 */
describe('npm run claims on a real broker, from the catalogue run', { timeout: 240_000 }, () => {
  test('16 verdicts, each with evidence read from this run', async () => {
    const crashMidBatch = run('crash-mid-batch');
    const child = spawn(process.execPath, ['src/cli/claims-main.ts', '--from', crashMidBatch.resultsDir, '--runs', '1', '--json'], {
      env: cleanEnv({ KAFKA_BROKERS: inject('brokers').join(','), KAFKA_SESSION_TIMEOUT_MS: '1500', KAFKA_OFFSET_LAB_RESULTS: resultsRoot }),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    expect(await new Promise<number | null>((resolve) => child.on('exit', resolve)), stderr).toBe(0);
    const claims = JSON.parse(stdout) as {
      evidenceFrom: string;
      verdicts: Array<{ id: string; kind: string; evidence: Array<{ scenario: string; row: string; numbers: string }> }>;
      scenarios: Array<{ scenario: string; resultsDir: string }>;
      saveCost: { rows: Array<{ mode: string; interval: number; median: number }> };
    };
    expect(claims.evidenceFrom).toBe(crashMidBatch.resultsDir);
    expect(claims.verdicts.map((v) => v.id)).toEqual([...claimIds]);
    expect(claims.scenarios.map((s) => s.scenario)).toEqual([...evidenceScenarios]);
    for (const v of claims.verdicts) {
      expect(v.kind, v.id).not.toBe('not-measured');
      expect(v.evidence.length, v.id).toBeGreaterThan(0);
      for (const e of v.evidence) {
        if (e.scenario === 'save-cost') {
          const row = claims.saveCost.rows.find((r) => `${r.mode}, every ${r.interval}` === e.row)!;
          expect(e.numbers).toBe(`${row.median} msg/s (median, timing)`);
          continue;
        }
        const s = run(e.scenario).strategies.find((x) => x.name === e.row)!;
        expect(e.numbers, `${v.id}: ${e.scenario}/${e.row}`).toMatch(new RegExp(`^lost ${s.lost}, duplicated ${s.duplicated}\\b`));
      }
    }
    expect(claims.verdicts.find((v) => v.id === 'C1')!.kind).toBe('holds-only-when');
    expect(claims.verdicts.find((v) => v.id === 'B4')!.kind).toBe('holds-only-when');
    expect(claims.saveCost.rows.every((r) => r.median > 0)).toBe(true);
  });
});
