import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { platformaticSecurity, securityFromEnv } from '../../src/kafka/security.ts';

// The real thing is test/security/external-security.test.ts (a broker with SASL and TLS listeners).
describe('TLS and SASL settings for @platformatic/kafka, from the same variables as for kafkajs', () => {
  const ca = join(mkdtempSync(join(tmpdir(), 'kol-ca-')), 'ca.pem');
  writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');

  test('nothing set: nothing (a plain external cluster)', () => {
    expect(platformaticSecurity(securityFromEnv({}))).toEqual({});
  });

  test.each([
    [{ KAFKA_SSL: 'true' }, { tls: { rejectUnauthorized: true } }],
    [{ KAFKA_SSL_CA_FILE: ca }, { tls: { ca: ['-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'], rejectUnauthorized: true } }],
    [{ KAFKA_SSL_INSECURE: 'true' }, { tls: { rejectUnauthorized: false } }],
  ])('%o → Node tls options %o', (env, expected) => {
    expect(platformaticSecurity(securityFromEnv(env))).toEqual(expected);
  });

  test.each([
    ['plain', 'PLAIN'],
    ['scram-sha-256', 'SCRAM-SHA-256'],
    ['SCRAM-SHA-512', 'SCRAM-SHA-512'],
  ])('KAFKA_SASL_MECHANISM=%s → its mechanism name %s, with the credentials', (mechanism, name) => {
    const env = { KAFKA_SSL: 'true', KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: 'alice', KAFKA_SASL_PASSWORD: 's3cret' };
    expect(platformaticSecurity(securityFromEnv(env))).toEqual({ tls: { rejectUnauthorized: true }, sasl: { mechanism: name, username: 'alice', password: 's3cret' } });
  });
});
