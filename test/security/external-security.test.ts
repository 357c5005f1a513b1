import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cleanEnv } from '../env.ts';
import { descendants, isBroker } from '../processes.ts';
import { makeCertificate, startSecureBroker, users } from './secure-broker.ts';

/**
 * The harness against a cluster that requires SASL or TLS, as a user runs it: the CLI with
 * KAFKA_BROKERS and the security variables, on a real broker of its own with a
 * SASL_PLAINTEXT (PLAIN, SCRAM-SHA-256) and an SSL listener (certificates made here).
 */
const dir = mkdtempSync(join(tmpdir(), 'kol-security-'));
let secure: Awaited<ReturnType<typeof startSecureBroker>>;
beforeAll(async () => {
  secure = await startSecureBroker(dir);
});
afterAll(async () => {
  await secure?.broker.stop();
  expect([...descendants(process.pid).values()].filter(isBroker)).toEqual([]);
});

function cli(env: NodeJS.ProcessEnv, client = 'kafkajs'): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const args = ['src/cli/scenario-main.ts', 'crash-mid-batch', '--json', '--client', client];
  // The broker allows 3 s sessions (group.min.session.timeout.ms=1000): the restart stays fast.
  const child = spawn(process.execPath, args, { env: cleanEnv({ KAFKA_SESSION_TIMEOUT_MS: '3000', KAFKA_OFFSET_LAB_RESULTS: join(dir, 'results'), ...env }) });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

const sasl = (mechanism: string, { username, password }: { username: string; password: string }) => ({
  KAFKA_BROKERS: secure.sasl, KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password,
});

/**
 * crash-mid-batch's exact counts at its defaults (1000 messages, killed after 237), the same on
 * both clients: kafkajs's auto-commit has not finished the partition batch, platformatic's 5 s
 * timer has not fired (scenarios/client-mechanisms.ts).
 */
async function expectExactCounts(env: NodeJS.ProcessEnv, address: () => string, client = 'kafkajs') {
  const run = await cli(env, client);
  expect(run.code, run.stderr).toBe(0);
  const result = JSON.parse(run.stdout) as { verdict: string; client: string; broker: { kind: string; brokers: string[] }; strategies: Array<{ name: string; lost: number; duplicated: number; processed: number }> };
  expect(result.client).toBe(client);
  expect(result.broker).toMatchObject({ kind: 'external', brokers: [address()] });
  expect(result.verdict).toBe('valid');
  expect(Object.fromEntries(result.strategies.map((s) => [s.name, [s.lost, s.duplicated, s.processed]]))).toEqual({
    'auto-commit': [0, 237, 1237],
    'manual-commit': [0, 37, 1037],
    'file-checkpoint': [0, 37, 1037],
  });
}

describe('an external cluster that requires SASL or TLS', () => {
  test('SASL PLAIN: crash-mid-batch with its exact counts', () => expectExactCounts(sasl('plain', users.plain), () => secure.sasl));
  test('SASL SCRAM-SHA-256: crash-mid-batch with its exact counts', () => expectExactCounts(sasl('scram-sha-256', users.scram), () => secure.sasl));
  test('TLS with the CA file: crash-mid-batch with its exact counts', () =>
    expectExactCounts({ KAFKA_BROKERS: secure.ssl, KAFKA_SSL_CA_FILE: secure.caFile }, () => secure.ssl));

  // The strategies' consumers on @platformatic/kafka, its `sasl` and `tls` options built from the same variables.
  test('platformatic, SASL PLAIN: crash-mid-batch with its exact counts', () => expectExactCounts(sasl('plain', users.plain), () => secure.sasl, 'platformatic'));
  test('platformatic, SASL SCRAM-SHA-256: crash-mid-batch with its exact counts', () =>
    expectExactCounts(sasl('scram-sha-256', users.scram), () => secure.sasl, 'platformatic'));
  test('platformatic, TLS with the CA file: crash-mid-batch with its exact counts', () =>
    expectExactCounts({ KAFKA_BROKERS: secure.ssl, KAFKA_SSL_CA_FILE: secure.caFile }, () => secure.ssl, 'platformatic'));

  test('platformatic, a wrong SCRAM password: one clear error, exit 3, no counts', async () => {
    const run = await cli(sasl('scram-sha-256', { ...users.scram, password: 'wrong' }), 'platformatic');
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(new RegExp(`^error: cannot reach the Kafka cluster at ${secure.sasl} \\(KAFKA_BROKERS\\): SASL .*authentication failed`, 'mi'));
    expect(run.stdout).toBe('');
  });

  test.each([
    ['plain', users.plain],
    ['scram-sha-256', users.scram],
  ])('a wrong %s password: one clear error, exit 3, no counts', async (mechanism, user) => {
    const run = await cli(sasl(mechanism, { ...user, password: 'wrong' }));
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(new RegExp(`^error: cannot reach the Kafka cluster at ${secure.sasl} \\(KAFKA_BROKERS\\): SASL .*authentication failed`, 'mi'));
    expect(run.stderr).toMatch(/^Check KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD\.$/m);
    expect(run.stdout).toBe('');
  });

  test('an untrusted certificate (another CA, or only the system CAs): a clear error naming KAFKA_SSL_CA_FILE, exit 3', async () => {
    const other = makeCertificate(dir, 'other');
    for (const env of [{ KAFKA_SSL_CA_FILE: other.pem }, { KAFKA_SSL: 'true' }]) {
      const run = await cli({ KAFKA_BROKERS: secure.ssl, ...env });
      expect(run.code).toBe(3);
      expect(run.stderr).toMatch(new RegExp(`^error: cannot reach the Kafka cluster at ${secure.ssl} \\(KAFKA_BROKERS\\): the cluster's TLS certificate is not trusted: .*certificate`, 'm'));
      expect(run.stderr).toMatch(/^Set KAFKA_SSL_CA_FILE to the PEM file of the CA/m);
      expect(run.stdout).toBe('');
    }
  });

  test('no SASL settings on a SASL listener: the error says it may require SASL and which variables set it, exit 3', async () => {
    const run = await cli({ KAFKA_BROKERS: secure.sasl });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/the cluster may require TLS \(KAFKA_SSL=true, or KAFKA_SSL_CA_FILE=ca\.pem\) or SASL \(KAFKA_SASL_MECHANISM=/);
  });
});
