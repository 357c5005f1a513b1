import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { createKafka } from '../../src/kafka/client.ts';
import { waitFor } from '../../src/util/wait-for.ts';
import { cleanEnv } from '../env.ts';
import { writeAllRun } from '../fixtures/all-run.ts';
import { descendants, isBroker, stillRunning } from '../processes.ts';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

// Its own results folder (and so its own lesson-broker file): a lesson broker the developer keeps
// running in this checkout neither refuses this test's broker nor serves its runs.
const resultsDir = mkdtempSync(join(tmpdir(), 'kol-lesson-broker-'));
const teachingStatePath = () => join(resultsDir, '.teaching-broker.json');
const ownEnv = (env: NodeJS.ProcessEnv = {}) => cleanEnv({ NO_COLOR: '1', KAFKA_OFFSET_LAB_RESULTS: resultsDir, ...env });

function scenario(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['src/cli/scenario-main.ts', ...args], { env: ownEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

test('npm run broker: a second process finds the lesson broker and uses it with the 1.5 s teaching session; --keep leaves topic and groups; Ctrl-C stops it cleanly', async () => {
  // Twenty logs of earlier lesson brokers: starting one more keeps the newest twenty, its own among them.
  const older = Array.from({ length: 20 }, (_, i) => `2020-01-01T00-00-${String(i).padStart(2, '0')}-000`);
  for (const name of older) mkdirSync(join(resultsDir, 'broker', name), { recursive: true });
  // Its own process group, so the test can send Ctrl-C as a terminal does (to the whole group).
  const lesson = spawn(process.execPath, ['src/cli/broker-main.ts', '--broker', 'local'], { env: ownEnv(), detached: true });
  let out = '';
  let err = '';
  lesson.stdout.on('data', (c) => (out += c));
  lesson.stderr.on('data', (c) => (err += c));
  const exited = new Promise<number | null>((resolve) => lesson.on('exit', resolve));
  try {
    await waitFor(
      () => {
        // A broker that exits before it is up fails the test at once, with its reason, not after the wait.
        if (lesson.exitCode !== null) throw new Error(`npm run broker exited with code ${lesson.exitCode}: ${err.trim()}`);
        return /address: +(\S+)/.exec(out)?.[1];
      },
      { maxWaitMs: 90_000, description: `the lesson broker's address (stderr: ${err})`, retryOn: () => false },
    );
    const address = /address: +(\S+)/.exec(out)![1]!;
    const logFolders = readdirSync(join(resultsDir, 'broker')).sort();
    expect(logFolders).toHaveLength(20);
    expect(logFolders.slice(0, 19)).toEqual(older.slice(1));
    expect(out).toContain(join(logFolders[19]!, 'broker.log'));
    expect(out).toMatch(/consumers: session 1.5 s · heartbeat 150 ms/);
    expect(JSON.parse(readFileSync(teachingStatePath(), 'utf8'))).toMatchObject({ pid: lesson.pid, brokers: [address] });

    // Nothing configured: no --broker, no KAFKA_BROKERS.
    const run = await scenario(['crash-mid-batch', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.broker.brokers).toEqual([address]);
    expect(result.broker.description).toContain('the lesson broker (npm run broker');
    expect(result.strategies.map((s: { lost: number; duplicated: number }) => [s.lost, s.duplicated])).toEqual([[0, 237], [0, 37], [0, 37]]);
    // A 10 s session would hold the restart at least ~9 s (the killed members' sessions).
    expect(result.timings['restart+drain']).toBeLessThan(8000);
    expect(result.timings['broker start']).toBeLessThan(1000);

    // npm run claims finds it too (here the verdicts of a finished 'all' run: only save-cost runs).
    const claims = await scenario(['claims', '--from', writeAllRun(), '--runs', '1', '--json']);
    expect(claims.code, claims.stderr).toBe(0);
    expect(JSON.parse(claims.stdout).broker).toMatchObject({ brokers: [address], description: expect.stringContaining('the lesson broker (npm run broker') });

    // KAFKA_BROKERS naming the lesson broker keeps the teaching session too; --keep leaves topic and groups.
    const kept = await scenario(['crash-mid-batch', '--keep', '--lang', 'en'], { KAFKA_BROKERS: address, COLUMNS: '200' });
    expect(kept.code, kept.stderr).toBe(0);
    expect(kept.stdout).toMatch(/timings: .*restart\+drain [0-7]\.\d s/);
    const topic = /Kept on \S+: topic (\S+), groups/.exec(kept.stdout)![1]!;
    expect(kept.stdout).toMatch(/org\.apache\.kafka\.tools\.consumer\.group\.ConsumerGroupCommand --bootstrap-server \S+ --describe --group kol-\S+-manual-commit/);
    expect(kept.stdout).toMatch(/manual-commit\n +at the crash: Kafka: committed 200 of 1000, lag 800 · its last commit says 200\n +after the run: Kafka: committed 1000 of 1000, lag 0/);
    expect(kept.stdout).toMatch(/file-checkpoint\n +at the crash: Kafka: no commit \(the file says 200\)\n +after the run: Kafka: no commit \(the file says 1000\)/);
    const admin = createKafka([address], 'lesson-broker-test').admin();
    await admin.connect();
    try {
      expect(await admin.listTopics()).toContain(topic);
      expect(await admin.listTopics()).not.toContain(result.topic); // the run without --keep cleaned up
      const groups = (await admin.listGroups()).groups.map((g) => g.groupId);
      expect(groups.filter((g) => g.endsWith('-manual-commit') && topic.includes(g.slice(4, -'-manual-commit'.length)))).toHaveLength(1);
    } finally {
      await admin.disconnect();
    }

    const below = [...descendants(lesson.pid!)].filter(([, args]) => isBroker(args)).map(([pid]) => pid);
    expect(below.length).toBeGreaterThan(0);
    process.kill(-lesson.pid!, 'SIGINT');
    expect(await exited).toBe(0);
    expect(err).toContain('stopped');
    expect(existsSync(teachingStatePath())).toBe(false);
    expect(stillRunning(below)).toEqual([]);
  } finally {
    if (lesson.exitCode === null) process.kill(-lesson.pid!, 'SIGKILL');
    rmSync(resultsDir, { recursive: true, force: true });
  }
});
