import { existsSync, mkdtempSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { chooseBrokerKind, resolveBrokerKind, type MachineProbe } from '../../src/broker/choose.ts';
import { containerEnvironment, propertyToEnv } from '../../src/broker/container.ts';
import { findDockerEndpoint, probeDockerEngine } from '../../src/broker/docker.ts';
import { parseBrokerList } from '../../src/broker/external.ts';
import { parseJavaMajor } from '../../src/broker/java.ts';
import { kafkaImage } from '../../src/broker/kafka-image.ts';
import { detectLang } from '../../src/report/lang.ts';

describe('environment detection', () => {
  test('java -version output gives the major version', () => {
    expect(parseJavaMajor('openjdk version "17.0.15" 2025-04-15')).toBe(17);
    expect(parseJavaMajor('openjdk version "25" 2025-09-16')).toBe(25);
    expect(parseJavaMajor('java version "1.8.0_402"')).toBe(8);
    expect(parseJavaMajor('nonsense')).toBeUndefined();
  });

  test('language: flag first, then a Chinese locale, else English', () => {
    expect(detectLang('en', { LANG: 'zh_CN.UTF-8' })).toBe('en');
    expect(detectLang(undefined, { LANG: 'zh_CN.UTF-8' })).toBe('zh');
    expect(detectLang(undefined, { LC_ALL: 'zh_TW.UTF-8', LANG: 'en_US.UTF-8' })).toBe('zh');
    expect(detectLang(undefined, { LANG: 'C.UTF-8' })).toBe('en');
  });

  test('broker choice: explicit (--broker, then KAFKA_BROKER), else KAFKA_BROKERS, else decided by probing', () => {
    expect(chooseBrokerKind(undefined, {})).toBe('auto');
    expect(chooseBrokerKind(undefined, { KAFKA_BROKERS: 'h:9092' })).toBe('external');
    expect(chooseBrokerKind('local', { KAFKA_BROKERS: 'h:9092' })).toBe('local');
    expect(chooseBrokerKind('container', {})).toBe('container');
    expect(chooseBrokerKind(undefined, { KAFKA_BROKER: 'container', KAFKA_BROKERS: 'h:9092' })).toBe('container');
    expect(chooseBrokerKind('local', { KAFKA_BROKER: 'container' })).toBe('local');
    expect(() => chooseBrokerKind('cloud', {})).toThrow(/unknown broker "cloud"; choose one of: container, local, external/);
    expect(() => chooseBrokerKind(undefined, { KAFKA_BROKER: 'docker' })).toThrow(/unknown broker "docker"/);
    expect(() => chooseBrokerKind('external', {})).toThrow(/needs KAFKA_BROKERS/);
  });

  // Docker answers with every candidate image present (the image cases: broker-choice.test.ts)
  const probe = (docker: boolean, jvmProblems: string[] = []): MachineProbe => ({
    docker: async () => (docker ? { reachable: true, where: '/fake.sock', endpoint: { socketPath: '/fake.sock', where: '/fake.sock' } } : { reachable: false, reason: 'no Docker socket (looked for /fake.sock)' }),
    presentImages: async (_endpoint, candidates) => new Set(candidates),
    localJvmProblems: () => jvmProblems,
  });
  const noProbing: MachineProbe = {
    docker: () => Promise.reject(new Error('must not probe')),
    presentImages: () => Promise.reject(new Error('must not probe')),
    localJvmProblems: () => {
      throw new Error('must not probe');
    },
  };

  test('auto: a reachable Docker engine with a Kafka image → container, else local when Java and Maven/jars are there', async () => {
    expect(await resolveBrokerKind('auto', {}, probe(true))).toBe('container');
    expect(await resolveBrokerKind('auto', {}, probe(true, ['Java was not found']))).toBe('container');
    expect(await resolveBrokerKind('auto', {}, probe(false))).toBe('local');
    for (const kind of ['local', 'container', 'external'] as const) expect(await resolveBrokerKind(kind, {}, noProbing)).toBe(kind);
  });

  test('auto with nothing usable: one message with what was looked for and how to get each', async () => {
    const error = await resolveBrokerKind('auto', {}, probe(false, ['Java was not found (tried java). Install Java 17+.', 'Maven (mvn) was not found ...'])).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'EnvironmentError', exitCode: 3 });
    const message = (error as Error).message;
    expect(message).toMatch(/^no way to run a Kafka broker was found\. Looked for:/);
    expect(message).toMatch(/Docker engine \(--broker container\): no Docker socket .*scripts\/start-docker\.sh/);
    expect(message).toMatch(/local JVM broker \(--broker local\): Java was not found/);
    expect(message).toMatch(/local JVM broker \(--broker local\): Maven \(mvn\) was not found/);
    expect(message).toMatch(/KAFKA_BROKERS is not set\. Set KAFKA_BROKERS=host:port/);
  });

  test('Docker detection: DOCKER_HOST first, then the usual sockets', () => {
    expect(findDockerEndpoint({ DOCKER_HOST: 'unix:///tmp/d.sock' })).toEqual({ socketPath: '/tmp/d.sock', where: 'DOCKER_HOST=unix:///tmp/d.sock' });
    expect(findDockerEndpoint({ DOCKER_HOST: 'tcp://10.0.0.5:2375' })).toMatchObject({ host: '10.0.0.5', port: 2375 });
    expect(findDockerEndpoint({ DOCKER_HOST: 'tcp://10.0.0.5:2376', DOCKER_TLS_VERIFY: '1' })).toHaveProperty('unsupported');
  });

  const listen = (server: Server, path: string) => new Promise<void>((resolve) => server.listen(path, resolve));
  const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

  test('Docker detection pings the engine: OK → reachable; silence or no socket → not, in well under a second', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kol-docker-'));
    const engine = createHttpServer((req, res) => res.end(req.url === '/_ping' ? 'OK' : 'no'));
    const held: Socket[] = [];
    const silent = createNetServer((socket) => void held.push(socket)); // accepts and never answers
    await listen(engine, join(dir, 'engine.sock'));
    await listen(silent, join(dir, 'silent.sock'));
    try {
      expect(await probeDockerEngine({ DOCKER_HOST: `unix://${join(dir, 'engine.sock')}` })).toMatchObject({ reachable: true });
      const began = performance.now();
      const hung = await probeDockerEngine({ DOCKER_HOST: `unix://${join(dir, 'silent.sock')}` });
      expect(performance.now() - began).toBeLessThan(1000);
      expect(hung).toMatchObject({ reachable: false, reason: expect.stringMatching(/does not answer \(no answer within \d+ ms\)/) });
      expect(await probeDockerEngine({ DOCKER_HOST: `unix://${join(dir, 'none.sock')}` })).toMatchObject({ reachable: false, reason: expect.stringMatching(/does not answer/) });
      expect(await probeDockerEngine({ HOME: dir, XDG_RUNTIME_DIR: dir, DOCKER_HOST: '' }).then((p) => p.reachable || p.reason)).toSatisfy(
        // The machine's own socket: an engine that answers, none, or a socket file left by a stopped engine.
        (r: unknown) =>
          r === true ||
          /no Docker socket \(looked for DOCKER_HOST and \/var\/run\/docker\.sock/.test(String(r)) ||
          (existsSync('/var/run/docker.sock') && /\/var\/run\/docker\.sock does not answer/.test(String(r))),
      );
    } finally {
      engine.closeAllConnections();
      for (const socket of held) socket.destroy();
      await Promise.all([close(engine), close(silent)]);
    }
  });

  test('container: the official image of the pinned version unless KAFKA_IMAGE; teaching settings as KAFKA_* env', () => {
    expect(kafkaImage({})).toMatch(/^apache\/kafka:4\.\d+\.\d+$/);
    expect(kafkaImage({ KAFKA_IMAGE: 'kafka-offset-lab/kafka:4.4.0' })).toBe('kafka-offset-lab/kafka:4.4.0');
    expect(propertyToEnv('group.initial.rebalance.delay.ms')).toBe('KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS');
    expect(propertyToEnv('some_prop-name.x')).toBe('KAFKA_SOME__PROP___NAME_X');
    const env = containerEnvironment();
    expect(env).toMatchObject({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      KAFKA_GROUP_MIN_SESSION_TIMEOUT_MS: '1000',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
    });
    expect(env.CLUSTER_ID).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    expect(env).not.toHaveProperty('KAFKA_ADVERTISED_LISTENERS'); // written once the host port is known
  });

  test('KAFKA_BROKERS must be host:port entries', () => {
    expect(parseBrokerList(' a:1 , [::1]:9092')).toEqual(['a:1', '[::1]:9092']);
    expect(() => parseBrokerList('localhost')).toThrow(/"localhost" is not host:port/);
    expect(() => parseBrokerList('h:99999')).toThrow(/not host:port/);
    expect(() => parseBrokerList(',')).toThrow(/empty/);
  });
});
