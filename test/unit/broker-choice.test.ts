import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { decideAutomatically, resolveBrokerKind, type MachineFacts, type MachineProbe } from '../../src/broker/choose.ts';
import type { DockerEndpoint, DockerProbe } from '../../src/broker/docker.ts';
import { hasLocalImage } from '../../src/broker/docker.ts';
import { chooseKafkaImage, kafkaImageCandidates } from '../../src/broker/kafka-image.ts';
import { kafkaVersion } from '../../src/broker/kafka-jars.ts';

const version = kafkaVersion();
const official = `apache/kafka:${version}`;
const built = `kafka-offset-lab/kafka:${version}`;
const engine: DockerProbe = { reachable: true, where: '/fake.sock', endpoint: { socketPath: '/fake.sock', where: '/fake.sock' } };
const noEngine: DockerProbe = { reachable: false, reason: 'no Docker socket (looked for /fake.sock)' };
const noJava = ['Java was not found (tried java). Install Java 17+.'];

/** The facts of a machine: does an engine answer, which images are present, is Java there. */
const facts = (docker: DockerProbe, present: string[] | undefined, jvmProblems: string[] = [], env: NodeJS.ProcessEnv = {}): MachineFacts => ({
  docker,
  imageCandidates: kafkaImageCandidates(env),
  presentImages: present && new Set(present),
  jvmProblems,
});

describe('the automatic broker choice', () => {
  test('candidates: KAFKA_IMAGE alone when set, else the official image, then the offline build', () => {
    expect(kafkaImageCandidates({})).toEqual([official, built]);
    expect(kafkaImageCandidates({ KAFKA_IMAGE: ' my/kafka:1 ' })).toEqual(['my/kafka:1']);
  });

  test('Docker answers and a Kafka image is present → container, without a word', () => {
    expect(decideAutomatically(facts(engine, [official]))).toEqual({ kind: 'container' });
    expect(decideAutomatically(facts(engine, [built], noJava))).toEqual({ kind: 'container' });
    expect(decideAutomatically(facts(engine, ['my/kafka:1'], [], { KAFKA_IMAGE: 'my/kafka:1' }))).toEqual({ kind: 'container' });
  });

  test('Docker answers but no image (no registry needed to decide) and Java is there → local JVM, with one line why', () => {
    const decided = decideAutomatically(facts(engine, []));
    expect(decided.kind).toBe('local');
    const notice = (decided as { notice: string }).notice;
    expect(notice.split('\n')).toHaveLength(1);
    expect(notice).toContain(`Docker engine found (/fake.sock) but no Kafka image is there (${official}, ${built}): Kafka runs on the local JVM broker`);
    expect(notice).toContain(`--broker container pulls ${official}`);
    expect(notice).toContain('scripts/build-kafka-image.sh');
  });

  test('KAFKA_IMAGE names an image that is not here: the other images are not used instead', () => {
    const decided = decideAutomatically(facts(engine, [official, built], [], { KAFKA_IMAGE: 'my/kafka:1' }));
    expect(decided).toMatchObject({ kind: 'local', notice: expect.stringContaining('no Kafka image is there (my/kafka:1)') });
  });

  test('the engine cannot list its images → local JVM, saying so', () => {
    expect(decideAutomatically(facts(engine, undefined))).toMatchObject({ kind: 'local', notice: expect.stringContaining('its local images could not be listed') });
  });

  test('no image and no Java: a container after all (pulled), the only way left', () => {
    expect(decideAutomatically(facts(engine, [], noJava))).toEqual({ kind: 'container' });
  });

  test('no Docker engine: local JVM without a notice; nothing usable: one message', () => {
    expect(decideAutomatically(facts(noEngine, undefined))).toEqual({ kind: 'local' });
    const none = decideAutomatically(facts(noEngine, undefined, noJava));
    expect(none.kind).toBe('none');
    expect((none as { message: string }).message).toMatch(/^no way to run a Kafka broker was found\. Looked for:\n.*Docker engine.*\n.*Java was not found/);
  });

  test('resolveBrokerKind asks the engine about the candidates and says the fallback line once', async () => {
    const asked: Array<[DockerEndpoint | undefined, readonly string[]]> = [];
    const probe: MachineProbe = {
      docker: async () => engine,
      presentImages: async (endpoint, candidates) => (asked.push([endpoint, candidates]), new Set()),
      localJvmProblems: () => [],
    };
    const said: string[] = [];
    expect(await resolveBrokerKind('auto', {}, probe, (line) => said.push(line))).toBe('local');
    expect(asked).toEqual([[engine.reachable && engine.endpoint, [official, built]]]);
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/no Kafka image is there/);
    // an explicit choice is never second-guessed
    expect(await resolveBrokerKind('container', {}, probe, (line) => said.push(line))).toBe('container');
    expect(said).toHaveLength(1);
  });
});

test('the scenario command loads testcontainers only to start a container (~0.2 CPU-s of every other start)', () => {
  const loaded = (script: string) =>
    execFileSync(process.execPath, ['--input-type=module', '-e', `${script}\nconst { createRequire } = await import('node:module');\nconsole.log(Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes('/node_modules/testcontainers/')));`], { encoding: 'utf8' }).trim();
  expect(loaded("await import('./src/cli/scenario-command.ts');")).toBe('false');
  expect(loaded("await import('./src/cli/scenario-command.ts'); await import('./src/broker/container.ts');")).toBe('true');
});

describe('which image the container broker runs (Docker Engine API, a fake engine on a socket)', () => {
  const listen = (server: Server, path: string) => new Promise<void>((resolve) => server.listen(path, resolve));
  const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

  async function withEngine(images: string[], run: (endpoint: DockerEndpoint) => Promise<void>, status = 404): Promise<void> {
    const path = join(mkdtempSync(join(tmpdir(), 'kol-images-')), 'engine.sock');
    const server = createServer((req, res) => {
      const name = decodeURIComponent(/^\/images\/(.+)\/json$/.exec(req.url ?? '')?.[1] ?? '');
      res.statusCode = images.includes(name) ? 200 : status;
      res.end(images.includes(name) ? '{}' : '{"message":"No such image"}');
    });
    await listen(server, path);
    try {
      await run({ socketPath: path, where: path });
    } finally {
      server.closeAllConnections();
      await close(server);
    }
  }

  test('hasLocalImage: 200 → true, 404 → false, another error → undefined', async () => {
    await withEngine([official], async (endpoint) => {
      expect(await hasLocalImage(endpoint, official)).toBe(true);
      expect(await hasLocalImage(endpoint, built)).toBe(false);
    });
    await withEngine([], async (endpoint) => expect(await hasLocalImage(endpoint, official)).toBeUndefined(), 500);
  });

  test('the official image when present, else the offline build when present, else the official one pulled', async () => {
    await withEngine([official, built], async (endpoint) => expect(await chooseKafkaImage(endpoint, {})).toEqual({ image: official, present: true }));
    await withEngine([built], async (endpoint) => expect(await chooseKafkaImage(endpoint, {})).toEqual({ image: built, present: true }));
    await withEngine([], async (endpoint) => expect(await chooseKafkaImage(endpoint, {})).toEqual({ image: official, present: false }));
    await withEngine([built], async (endpoint) => expect(await chooseKafkaImage(endpoint, { KAFKA_IMAGE: 'my/kafka:1' })).toEqual({ image: 'my/kafka:1', present: false }));
    expect(await chooseKafkaImage(undefined, {})).toEqual({ image: official, present: undefined });
  });
});
