import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import crashMidBatch from '../../scenarios/crash-mid-batch.ts';
import { containerLabel, startContainerBroker } from '../../src/broker/container.ts';
import { dockerRequest, probeDockerEngine } from '../../src/broker/docker.ts';
import { disposableBrokerJvmOptions } from '../../src/broker/jvm-process.ts';
import { kafkaVersion } from '../../src/broker/kafka-jars.ts';
import { createKafka } from '../../src/kafka/client.ts';
import { runScenario } from '../../src/runner/run-scenario.ts';
import { EnvironmentError } from '../../src/util/errors.ts';
import { waitFor } from '../../src/util/wait-for.ts';
import { cleanEnv } from '../env.ts';

/**
 * The container provider end to end on a real Docker engine. The image is KAFKA_IMAGE, else
 * the one scripts/build-kafka-image.sh builds offline (kafka-offset-lab/kafka:<version>).
 * Without a Docker engine these tests are skipped — except in CI (env CI set), where they
 * fail: CI must prove this path.
 */
const image = process.env.KAFKA_IMAGE || `kafka-offset-lab/kafka:${kafkaVersion()}`;
const env = cleanEnv({ KAFKA_IMAGE: image });
const docker = await probeDockerEngine(process.env);
const unavailable = !docker.reachable
  ? `no Docker engine: ${docker.reason}`
  : docker.endpoint && !process.env.KAFKA_IMAGE && !(await dockerRequest(docker.endpoint, 'GET', `/images/${encodeURIComponent(image)}/json`).then(() => true, () => false))
    ? `image ${image} is not built (scripts/build-kafka-image.sh), and KAFKA_IMAGE is not set`
    : undefined;

const logDir = mkdtempSync(join(tmpdir(), 'kol-container-test-'));
const resultsRoot = mkdtempSync(join(tmpdir(), 'kol-container-results-'));

/** Ids of the containers (running or not) that carry our label. */
const ourContainers = (): string[] =>
  execFileSync('docker', ['ps', '-a', '-q', '--no-trunc', '--filter', `label=${containerLabel}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
const newSince = (before: string[]) => ourContainers().filter((id) => !before.includes(id));

if (unavailable && process.env.CI) {
  describe('the broker in a container (required in CI)', () => {
    test('a Docker engine and the Kafka image are there', () => {
      throw new Error(`CI must run the container tests, but ${unavailable}. .ci/run starts dockerd and builds the image first.`);
    });
  });
} else if (unavailable) {
  describe('the broker in a container', () => {
    test.skip(`skipped: ${unavailable}`, () => {});
  });
} else {
  describe(`the broker in a container (${image})`, () => {
    test('start: answers on the advertised host port; stop: the container is gone', async () => {
      const before = ourContainers();
      const broker = await startContainerBroker({ logPath: join(logDir, 'a.log') }, env);
      let mine: string[] = [];
      try {
        mine = newSince(before);
        expect(mine).toHaveLength(1);
        expect(broker.kind).toBe('container');
        expect(broker.disposable).toBe(true);
        expect(broker.description).toMatch(new RegExp(`^Apache Kafka ${kafkaVersion().replace(/\./g, '\\.')}, container .+ \\(testcontainers\\) on 127\\.0\\.0\\.1:\\d+$`));
        const admin = createKafka(broker.brokers, 'container-lifecycle').admin();
        await admin.connect();
        const cluster = await admin.describeCluster();
        await admin.disconnect();
        expect(cluster.brokers.map((b) => `${b.host}:${b.port}`)).toEqual(broker.brokers);
        // only on the loopback interface, like the local JVM broker
        expect(execFileSync('docker', ['port', mine[0]!, '9092/tcp'], { encoding: 'utf8' }).trim()).toBe(broker.brokers[0]);
        // the broker's JVM runs with the local broker's JIT and collector, and maps the image's class archive
        const java = execFileSync('docker', ['top', mine[0]!, '-o', 'pid,args'], { encoding: 'utf8' }).split('\n').find((line) => /kafka\.Kafka /.test(line));
        for (const option of [...disposableBrokerJvmOptions, '-Xmx768m']) expect(java?.split(' ')).toContain(option);
        if (image.startsWith('kafka-offset-lab/')) expect(java).toMatch(/-XX:SharedArchiveFile=\/opt\/kafka\/kafka\.jsa/);
      } finally {
        await broker.stop();
      }
      expect(ourContainers().filter((id) => mine.includes(id))).toEqual([]);
      // the broker's own log went to the file, not to the screen
      const log = readFileSync(join(logDir, 'a.log'), 'utf8');
      expect(log).toMatch(/Kafka Server started/);
      expect(log).toMatch(/group\.initial\.rebalance\.delay\.ms = 0/); // teaching settings applied
    });

    test('crash-mid-batch through the container: the same exact counts as on the JVM broker', async () => {
      const before = ourContainers();
      {
        await using broker = await startContainerBroker({ logPath: join(logDir, 'b.log') }, env);
        const result = await runScenario(crashMidBatch, crashMidBatch.defaults, { broker, resultsRoot });
        const by = Object.fromEntries(result.strategies.map((s) => [s.name, s]));
        expect(result.verdict).toBe('valid');
        expect(result.crash).toEqual({ point: 'mid-batch', atProcessed: 237 });
        expect(by['auto-commit']).toMatchObject({ produced: 1000, lost: 0, duplicated: 237, processed: 1237, restarts: 1 });
        for (const name of ['manual-commit', 'file-checkpoint']) {
          expect(by[name]).toMatchObject({ produced: 1000, lost: 0, duplicated: 37, processed: 1037, restarts: 1 });
        }
        expect(result.matchesPrediction).toBe(true);
      }
      expect(newSince(before)).toEqual([]);
    });

    test('a bad image name: a clear EnvironmentError, and nothing is left', async () => {
      const before = ourContainers();
      const error = await startContainerBroker({ logPath: join(logDir, 'c.log') }, { ...env, KAFKA_IMAGE: 'kafka-offset-lab/no-such-image:0.0.0' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EnvironmentError);
      expect((error as EnvironmentError).message).toMatch(/^could not start a container from image kafka-offset-lab\/no-such-image:0\.0\.0: /);
      expect((error as EnvironmentError).hint).toMatch(/KAFKA_IMAGE=kafka-offset-lab\/no-such-image:0\.0\.0/);
      expect(newSince(before)).toEqual([]);
    });

    test('a broker not ready in time: the last log lines, and the container is removed', async () => {
      const before = ourContainers();
      const error = await startContainerBroker({ logPath: join(logDir, 'd.log'), readyTimeoutMs: 1 }, env).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EnvironmentError);
      expect((error as Error).message).toMatch(/Kafka did not start in its container: the broker was not ready after 0 s\.\nLast lines of .*d\.log:\n/);
      // The container's own log lines: how far its entry point got in 1 ms is timing (before or after it learnt its port).
      expect((error as Error).message).toMatch(/kafka-offset-lab: (waiting for the advertised listeners|advertised listeners PLAINTEXT:\/\/127\.0\.0\.1:\d+)/);
      expect(newSince(before)).toEqual([]);
    });

    test('Ctrl-C during start-up: rejected as interrupted, the container is removed', async () => {
      const before = ourContainers();
      const abort = new AbortController();
      const starting = startContainerBroker({ logPath: join(logDir, 'e.log'), signal: abort.signal }, env).catch((e: unknown) => e);
      await waitFor(() => newSince(before).length === 1, { maxWaitMs: 30_000, description: 'the container to exist' });
      abort.abort();
      expect(((await starting) as Error).message).toMatch(/interrupted while the broker was starting/);
      expect(newSince(before)).toEqual([]);
    });

    test('a harness killed with SIGKILL: the watchdog removes its container', async () => {
      const before = ourContainers();
      const harness = spawn(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const { startContainerBroker } = await import(process.argv[1]);
           await startContainerBroker({ logPath: process.argv[2] });
           console.log('ready');
           setInterval(() => {}, 1000);`,
          join(import.meta.dirname, '../../src/broker/container.ts'),
          join(logDir, 'f.log'),
        ],
        { env, stdio: ['ignore', 'pipe', 'inherit'] },
      );
      await new Promise<void>((resolve, reject) => {
        harness.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
        harness.once('exit', (code) => reject(new Error(`harness exited early with ${code}`)));
      });
      expect(newSince(before)).toHaveLength(1);
      harness.kill('SIGKILL');
      await waitFor(() => newSince(before).length === 0, { maxWaitMs: 15_000, description: 'the orphaned container to be removed' });
    });
  });
}
