import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { startLocalJvmBroker } from '../../src/broker/local-jvm.ts';
import { createKafka } from '../../src/kafka/client.ts';
import { EnvironmentError } from '../../src/util/errors.ts';
import { waitFor } from '../../src/util/wait-for.ts';
import { cleanEnv } from '../env.ts';
import { descendants, isBroker, stillRunning } from '../processes.ts';

const logDir = mkdtempSync(join(tmpdir(), 'kol-broker-test-'));
const brokersBelow = (pid: number) => new Map([...descendants(pid)].filter(([, args]) => isBroker(args)));
const dataDirOf = (args: string) => /(\S*kafka-offset-lab-broker-[^/\s]+)/.exec(args)?.[1];

describe('the local JVM broker is a disposable object', () => {
  test('starts on 127.0.0.1, answers clients, and stop leaves no JVM and no data folder', async () => {
    const broker = await startLocalJvmBroker({ logPath: join(logDir, 'a.log') });
    const mine = brokersBelow(process.pid);
    const started = [...mine.keys()];
    const dataDir = dataDirOf([...mine.values()][0] ?? '');
    try {
      expect(broker.brokers[0]).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(broker.description).toMatch(/Apache Kafka 4\.\d+\.\d+, local JVM \(KRaft/);
      expect(started.length).toBeGreaterThanOrEqual(1);
      const admin = createKafka(broker.brokers, 'lifecycle').admin();
      await admin.connect();
      expect((await admin.describeCluster()).brokers).toHaveLength(1);
      await admin.disconnect();
    } finally {
      await broker.stop();
    }
    expect(stillRunning(started)).toEqual([]);
    expect(dataDir).toBeDefined();
    expect(existsSync(dataDir!)).toBe(false);
    // The broker's own log went to the file, not to the screen.
    expect(readFileSync(join(logDir, 'a.log'), 'utf8')).toMatch(/Kafka Server started|KafkaRaftServer|Kafka version/);
  });

  test('a harness killed with SIGKILL takes its broker with it', async () => {
    const harness = spawn(process.execPath, ['test/fixtures/start-broker-and-wait.ts', join(logDir, 'b.log')], { stdio: ['ignore', 'pipe', 'inherit'], env: cleanEnv() });
    await new Promise<void>((resolve, reject) => {
      harness.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
      harness.once('exit', (code) => reject(new Error(`fixture exited early with ${code}`)));
    });
    const mine = brokersBelow(harness.pid!);
    expect(mine.size).toBe(2); // the watchdog and its JVM
    const dataDir = dataDirOf([...mine.values()][0] ?? '');
    expect(dataDir).toBeDefined();
    harness.kill('SIGKILL');
    await waitFor(() => stillRunning(mine.keys()).length === 0, { maxWaitMs: 15_000, description: 'the orphaned broker to be killed' });
    await waitFor(() => !existsSync(dataDir!), { maxWaitMs: 5_000, description: 'the data folder to be removed' });
  });

  // Here, not in test/cluster/: the cluster file runs alone after the pool (see vitest.config.ts),
  // and this needs no failover, only three more JVMs under the same watchdogs.
  test('a harness killed with SIGKILL takes all three nodes of its cluster with it', async () => {
    const harness = spawn(process.execPath, ['test/fixtures/start-broker-and-wait.ts', join(logDir, 'orphan-cluster.log'), 'cluster'], { stdio: ['ignore', 'pipe', 'inherit'], env: cleanEnv() });
    await new Promise<void>((resolve, reject) => {
      harness.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
      harness.once('exit', (code) => reject(new Error(`fixture exited early with ${code}`)));
    });
    const mine = brokersBelow(harness.pid!);
    expect(mine.size).toBe(6); // three watchdogs and their JVMs
    harness.kill('SIGKILL');
    await waitFor(() => stillRunning(mine.keys()).length === 0, { maxWaitMs: 20_000, description: 'the orphaned nodes to be killed' });
  });

  test('a broker that is not ready in time is reported with its last log lines and stopped', async () => {
    const error = await startLocalJvmBroker({ logPath: join(logDir, 'c.log'), readyTimeoutMs: 200 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as Error).message).toMatch(/Kafka did not start: the broker was not ready after 0 s/);
    expect(brokersBelow(process.pid).size).toBe(0);
  });

  test('a port in use is a clear error', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    process.env.KAFKA_LOCAL_PORT = String(port);
    try {
      await expect(startLocalJvmBroker({ logPath: join(logDir, 'd.log') })).rejects.toThrow(`port ${port} on 127.0.0.1 is already in use`);
    } finally {
      delete process.env.KAFKA_LOCAL_PORT;
      server.close();
    }
  });
});
