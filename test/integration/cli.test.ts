import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { describe, expect, inject, test } from 'vitest';
import { waitFor } from '../../src/util/wait-for.ts';
import { cleanEnv } from '../env.ts';
import { descendants, isBroker, isStrategy, stillRunning } from '../processes.ts';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

// The caller's KAFKA_BROKER, KAFKA_BROKERS, LANG … never reach the CLI: each test states its own.
const cliEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => cleanEnv(extra);

function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['src/cli/scenario-main.ts', ...args], { env: cliEnv({ KAFKA_BROKERS: undefined, ...env }) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

// The suite's broker allows short sessions (group.min.session.timeout.ms=1000), so runs stay fast.
const shared = () => ({ KAFKA_BROKERS: inject('brokers').join(','), KAFKA_SESSION_TIMEOUT_MS: '3000' });
const ansi = /\x1b\[/;

describe('the scenario command', () => {
  test('--list and no name list the scenarios with a description', async () => {
    for (const args of [['--list'], []]) {
      const run = await cli(args);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/crash-mid-batch\s+SIGKILL each consumer/);
      expect(run.stdout).toMatch(/torn-checkpoint\s+SIGKILL while checkpoint.json is being written/);
      expect(run.stdout).toMatch(/all\s+run every scenario/);
    }
  });

  test('--help explains the options', async () => {
    const run = await cli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/--crash-after K/);
    expect(run.stdout).toMatch(/Exit codes/);
  });

  test('<scenario> --help lists that scenario\'s knobs with their defaults', async () => {
    const run = await cli(['torn-checkpoint', '--help', '--lang', 'en']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^torn-checkpoint: SIGKILL while checkpoint.json is being written/);
    expect(run.stdout).toMatch(/--crash-batch C\s+default \d+\s+\S/);
    expect(run.stdout).not.toMatch(/--crash-after/);
    expect(run.stdout).toMatch(/Exit codes/);
  });

  test('an unknown scenario suggests the closest name and exits 2', async () => {
    const run = await cli(['crash-mid-bach']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown scenario "crash-mid-bach"');
    expect(run.stderr).toContain('Did you mean "crash-mid-batch"?');
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  test.each([
    [['crash-mid-batch', '--frobnicate'], /Unknown option '--frobnicate'/],
    [['crash-mid-batch', '--crash-after', '500'], /--crash-after 500 is larger than --batch \(default 100\)/],
    [['torn-checkpoint', '--crash-after', '5'], /torn-checkpoint does not use --crash-after; its knobs are --messages, --partitions, --batch, --crash-batch/],
    [['crash-mid-batch', '--partitions', '0'], /--partitions must be between 1 and 64/],
    [['crash-mid-batch', '--lang', 'fr'], /--lang must be en or zh/],
    [['all', '--messages', '5'], /"all" runs every scenario with its own defaults/],
    [['two-services', '--partitions', '2'], /use --partitions 1/],
    [['broker-restart', '--broker', 'container'], /broker-restart kills and restarts the broker: it runs only on the local JVM broker/],
    [['leader-failover', '--broker', 'local'], /leader-failover kills the partition leader of a multi-node cluster: it runs only on the three-node cluster the harness starts \(the local broker is a single node/],
  ])('bad input %j: one clear line, exit 2', async (args, message) => {
    const run = await cli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  test('Java missing: says so and what to do, exit 3', async () => {
    const run = await cli(['crash-mid-batch', '--broker', 'local'], { JAVA_HOME: '/nonexistent-jdk' });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/Java was not found/);
    expect(run.stderr).toMatch(/KAFKA_BROKERS/);
  });

  test('Maven missing and no cached jars: says so, exit 3', async () => {
    const javaHome = dirname(dirname(realpathSync(execFileSync('bash', ['-c', 'command -v java'], { encoding: 'utf8' }).trim())));
    const run = await cli(['crash-mid-batch', '--broker', 'local'], {
      JAVA_HOME: javaHome,
      PATH: dirname(process.execPath),
      KAFKA_OFFSET_LAB_CACHE: mkdtempSync(join(tmpdir(), 'kol-empty-cache-')),
    });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/Maven \(mvn\) was not found/);
  });

  test('an unreachable KAFKA_BROKERS is a clear error, exit 3', async () => {
    const run = await cli(['crash-mid-batch'], { KAFKA_BROKERS: '127.0.0.1:1' });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/cannot reach the Kafka cluster at 127\.0\.0\.1:1/);
  });

  test('--json prints only the result JSON, with the documented fields; --keep-runs 2 leaves the newest two runs', async () => {
    const results = withOlderRuns('crash-mid-batch', 3);
    const run = await cli(['crash-mid-batch', '--json', '--keep-runs', '2', '--messages', '300', '--batch', '50', '--crash-after', '10', '--crash-batch', '2'], {
      ...shared(),
      KAFKA_OFFSET_LAB_RESULTS: results,
    });
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(readdirSync(join(results, 'crash-mid-batch')).sort()).toEqual(['2020-01-03T00-00-00-000', basename(result.resultsDir)]);
    expect(result.scenario).toBe('crash-mid-batch');
    expect(result.broker).toMatchObject({ kind: 'external', brokers: inject('brokers') });
    expect(Object.keys(result.timings)).toEqual(expect.arrayContaining(['broker start', 'produce', 'consume+crash', 'restart+drain', 'check']));
    for (const s of result.strategies) {
      expect(Object.keys(s)).toEqual(expect.arrayContaining(['name', 'claims', 'produced', 'processed', 'lost', 'duplicated', 'restarts']));
    }
    expect(result.strategies.map((s: { name: string; duplicated: number }) => [s.name, s.duplicated])).toEqual([
      ['auto-commit', 60],
      ['manual-commit', 10],
      ['file-checkpoint', 10],
    ]);
  });

  test('the table and the lesson, in Chinese, without colour codes when not on a terminal', async () => {
    // Wide enough for the full table (the report adapts to COLUMNS when stdout is not a terminal).
    const run = await cli(['crash-mid-batch', '--lang', 'zh'], { ...shared(), COLUMNS: '140' });
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(ansi);
    expect(run.stdout).toMatch(/策略.*丢失.*重复/s);
    expect(run.stdout).toMatch(/│ manual-commit\s+│[^\n]*│\s+1000 │\s+1037 │\s+0 │\s+37 │/);
    expect(run.stdout).toMatch(/自动提交/);
    expect(run.stderr).toMatch(/consume\+crash/); // progress went to stderr
  });

  test('a harness killed with SIGKILL leaves no broker and no strategy process, and keeps what it measured', async () => {
    const child = spawn(process.execPath, ['src/cli/scenario-main.ts', 'crash-mid-batch', '--broker', 'local'], { env: cliEnv({ KAFKA_BROKERS: undefined }) });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    await waitFor(() => /consume\+crash/.test(stderr), { maxWaitMs: 60_000, description: 'the consume phase' });
    const tree = descendants(child.pid!);
    expect([...tree.values()].some(isBroker)).toBe(true);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    await waitFor(() => stillRunning(tree.keys()).length === 0, { maxWaitMs: 15_000, description: 'the orphans to go away' });
    const resultsDir = /results: (\S+)/.exec(stderr)?.[1];
    expect(resultsDir).toBeDefined();
    const produced = readFileSync(join(resultsDir!, 'history-runner.jsonl'), 'utf8').split('\n').filter((l) => l.includes('"produced"'));
    expect(produced).toHaveLength(1000);
  });

  test('Ctrl-C stops the run: exit 130, no broker JVM and no strategy process left; the interrupted run is the one kept', async () => {
    const results = withOlderRuns('crash-mid-batch', 2);
    const child = spawn(process.execPath, ['src/cli/scenario-main.ts', 'crash-mid-batch', '--broker', 'local', '--keep-runs', '1'], {
      env: cliEnv({ KAFKA_BROKERS: undefined, KAFKA_OFFSET_LAB_RESULTS: results }),
    });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // The phase is announced before its processes start (on a fresh clone, after the strategy bundle is built).
    const tree = await waitFor(
      () => {
        const now = descendants(child.pid!);
        return /consume\+crash/.test(stderr) && [...now.values()].some(isStrategy) ? now : undefined;
      },
      { maxWaitMs: 60_000, description: 'the consume phase with its strategy processes' },
    );
    expect([...tree.values()].some(isBroker)).toBe(true);
    // Ctrl-C in a terminal reaches the whole foreground group; the harness must cope with both.
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toMatch(/interrupted/);
    await waitFor(() => stillRunning(tree.keys()).length === 0, { maxWaitMs: 10_000, description: 'no broker and no strategy process left' });
    // Pruned as a finished run is: only its own folder (what it measured) is left.
    expect(readdirSync(join(results, 'crash-mid-batch'))).toEqual([basename(/results: (\S+)/.exec(stderr)![1]!)]);
  });
});

/** A results folder of its own with `count` older runs of `scenario` (2020-01-01, -02 …), as earlier runs leave them. */
function withOlderRuns(scenario: string, count: number): string {
  const results = mkdtempSync(join(tmpdir(), 'kol-cli-results-'));
  for (let day = 1; day <= count; day++) mkdirSync(join(results, scenario, `2020-01-0${day}T00-00-00-000`), { recursive: true });
  return results;
}
