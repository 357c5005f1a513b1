import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findScenario, scenarios } from '../../scenarios/index.ts';
import { connectExternalBroker, parseBrokerList } from '../../src/broker/external.ts';
import { BoundaryError, formatCheckpointFile, parseCheckpointFile, parseHistoryLine } from '../../src/boundary/parse.ts';
import { parseCli } from '../../src/cli/args.ts';
import { scenarioCommand } from '../../src/cli/scenario-command.ts';
import { EnvironmentError, ExitCode, UserError } from '../../src/util/errors.ts';
import { resultsDir } from '../../src/util/paths.ts';

/** Runs `fn`; returns its value, or the error it threw. */
const attempt = <T>(fn: () => T): T | Error => {
  try {
    return fn();
  } catch (error) {
    return error as Error;
  }
};
const oneLine = (error: Error) => !error.message.includes('\n') && error.message.length < 2000;

describe('the command-line parser on any argv', () => {
  const token = fc.oneof(fc.string(), fc.constantFrom('--messages', '--batch', '--crash-after', '--broker', '--lang', '--json', '-h', '--', '-x', '=', '--messages=1e3'));
  test('returns options or a one-line usage error (exit 2), never anything else', () => {
    fc.assert(
      fc.property(fc.array(token, { maxLength: 8 }), (argv) => {
        const result = attempt(() => parseCli(argv));
        if (result instanceof Error) {
          expect(result).toBeInstanceOf(UserError);
          expect((result as UserError).exitCode).toBe(ExitCode.usage);
          expect(oneLine(result)).toBe(true);
        } else {
          for (const value of Object.values(result.knobs)) expect(Number.isSafeInteger(value) && value >= 0).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
  test('whole numbers given are the knobs read; anything else for a knob is refused', () => {
    fc.assert(
      fc.property(fc.nat(), fc.string(), (n, junk) => {
        expect(parseCli(['x', '--messages', String(n)]).knobs.messages).toBe(n);
        const refused = !/^\s*\d+\s*$/.test(junk) || !Number.isSafeInteger(Number(junk.trim()));
        if (refused && !junk.startsWith('-')) expect(() => parseCli(['x', '--batch', junk])).toThrow(/--batch must be a whole number/);
      }),
    );
  });
});

describe('scenario names with path characters never reach the file system', () => {
  const io = { stdout: process.stdout, stderr: process.stderr, env: {} } as never;
  test.each(['../../etc/passwd', 'crash-mid-batch/../../x', '/tmp/x', 'a\\b', '..', '.', 'crash-mid-batch\0'])('%j: unknown scenario, exit 2, no folder', async (name) => {
    const existed = existsSync(join(resultsDir, name));
    const error = await scenarioCommand([name], io).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).exitCode).toBe(ExitCode.usage);
    expect((error as Error).message).toMatch(/^unknown scenario/);
    expect(existsSync(join(resultsDir, name))).toBe(existed); // nothing created, wherever the name points
  });
  test('any name that is not in the catalogue is refused the same way', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1 }).filter((s) => !findScenario(s) && s !== 'all' && !s.startsWith('-')), async (name) => {
        const error = await scenarioCommand([name], io).catch((e: unknown) => e);
        expect((error as UserError).exitCode).toBe(ExitCode.usage);
      }),
      { numRuns: 300 },
    );
    expect(scenarios.length).toBeGreaterThan(0);
  });
});

describe('the checkpoint reader on any file content', () => {
  test('positions (whole partitions → whole offsets) or a BoundaryError naming the file, never anything else', () => {
    const json = fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((v) => JSON.stringify({ topic: 't', positions: v })), fc.uint8Array().map((b) => Buffer.from(b).toString('latin1')));
    fc.assert(
      fc.property(json, (text) => {
        const result = attempt(() => parseCheckpointFile(text, 't'));
        if (result instanceof Error) {
          expect(result).toBeInstanceOf(BoundaryError);
          expect(result.message.startsWith('checkpoint.json: ')).toBe(true);
        } else {
          for (const [p, offset] of Object.entries(result)) {
            expect(String(Number(p))).toBe(p);
            expect(Number.isSafeInteger(offset) && offset >= 0).toBe(true);
          }
        }
      }),
      { numRuns: 3000 },
    );
  });
  test('what the writer writes, the reader reads back', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.nat(10_000).map(String), fc.maxSafeNat()), (raw) => {
        const positions = Object.fromEntries(Object.entries(raw).map(([p, o]) => [Number(p), o]));
        expect(parseCheckpointFile(formatCheckpointFile('t', positions), 't')).toEqual(positions);
      }),
    );
  });
  test.each([
    ['', /empty file/],
    ['\u0000\u00ff\u0001garbage', /checkpoint\.json/],
    ['{"topic":"t","positions":{"0":-5}}', /offset must be a whole number, got -5/],
    ['{"topic":"t","positions":{"0":1e300}}', /offset must be a whole number/],
    ['{"topic":"t","positions":{"0":9007199254740993}}', /offset must be a whole number/],
    ['{"topic":"t","positions":{"-1":5}}', /partition must be a whole number/],
    ['{"topic":"t","positions":{"0":5},"extra":1}', /only "topic" and "positions"/],
    ['{"topic":"other","positions":{}}', /another topic/],
    ['[1,2,3]', /checkpoint\.json/],
  ])('bad kind %j: one clear BoundaryError', (text, message) => {
    expect(() => parseCheckpointFile(text, 't')).toThrow(message);
    expect(() => parseCheckpointFile(text, 't')).toThrow(BoundaryError);
  });
});

describe('the history line reader on any line', () => {
  test('an event or a BoundaryError, never anything else', () => {
    const event = fc.record({ kind: fc.constantFrom('produced', 'processed', 'saved', 'joined', 'started', 'crash', 'fault', 'nope'), strategy: fc.string(), partition: fc.integer(), offset: fc.integer(), seq: fc.integer() }, { requiredKeys: ['kind'] });
    const line = fc.oneof(fc.string(), fc.json(), event.map((e) => JSON.stringify(e)));
    fc.assert(
      fc.property(line, (text) => {
        const result = attempt(() => parseHistoryLine(text, 1));
        if (result instanceof Error) expect(result).toBeInstanceOf(BoundaryError);
        else expect(typeof result.kind).toBe('string');
      }),
      { numRuns: 3000 },
    );
  });
});

describe('KAFKA_BROKERS garbage and an address where something else answers', () => {
  test('any KAFKA_BROKERS text: a host:port list or a one-line usage error', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.array(fc.oneof(fc.domain(), fc.ipV4(), fc.string())).map((h) => h.map((x, i) => `${x}:${i * 7919}`).join(','))), (value) => {
        const result = attempt(() => parseBrokerList(value));
        if (result instanceof Error) {
          expect(result).toBeInstanceOf(UserError);
          expect(result.message).toMatch(/^KAFKA_BROKERS /);
        } else {
          for (const b of result) expect(b).toMatch(/:\d{1,5}$/);
        }
      }),
      { numRuns: 2000 },
    );
  });

  let server: Server;
  let port = 0;
  beforeAll(async () => {
    // Something that is not Kafka: answers every connection with an HTTP error and closes.
    server = createServer((socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => void server.close());

  test('a TCP server that is not Kafka: an environment error naming the address, within seconds', async () => {
    const began = performance.now();
    const error = await connectExternalBroker(`127.0.0.1:${port}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as Error).message).toMatch(new RegExp(`cannot reach the Kafka cluster at 127\\.0\\.0\\.1:${port}`));
    expect(performance.now() - began).toBeLessThan(20_000);
    expect((error as EnvironmentError).hint).toMatch(/may require TLS \(KAFKA_SSL=true.*or SASL \(KAFKA_SASL_MECHANISM=.*or what listens there is not Kafka/);
  });

  test('a TCP server that accepts and never answers: the same error within the probe\'s bound, not kafkajs\' 30 s per request', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const silentPort = (silent.address() as { port: number }).port;
    const began = performance.now();
    try {
      const error = await connectExternalBroker(`127.0.0.1:${silentPort}`).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EnvironmentError);
      expect((error as EnvironmentError).hint).toMatch(/may require TLS/);
      expect(performance.now() - began).toBeLessThan(20_000);
    } finally {
      silent.close();
    }
  }, 30_000);

  test('nothing listening: said plainly, without the SASL/TLS guess', async () => {
    const error = await connectExternalBroker('127.0.0.1:1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as EnvironmentError).hint).toMatch(/Check the address and that the cluster runs/);
  });
});
