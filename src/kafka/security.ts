import { readFileSync } from 'node:fs';
import type { KafkaConfig } from 'kafkajs';
import { UserError } from '../util/errors.ts';

export type ClientSecurity = Pick<KafkaConfig, 'ssl' | 'sasl'>;

/** The same settings in @platformatic/kafka's shape (its base options `tls` and `sasl`). */
export interface PlatformaticSecurity {
  /** Node's tls.connect options (network/connection.js passes them to tls.connect as they are). */
  tls?: { ca?: string[]; rejectUnauthorized: boolean };
  /** Its mechanism names are Kafka's own, upper case (apis/enumerations.js, SASLMechanisms). */
  sasl?: { mechanism: 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512'; username: string; password: string };
}

const mechanisms = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

/**
 * TLS and SASL settings for an external cluster, from the environment (README: "External
 * cluster"). Only used with KAFKA_BROKERS; they stay in the environment so a password never
 * appears in a child process's command line.
 *
 *   KAFKA_SSL=true                 TLS with the system's CAs
 *   KAFKA_SSL_CA_FILE=path         PEM file with the CA to trust (implies TLS)
 *   KAFKA_SSL_INSECURE=true        do not verify the broker's certificate (test clusters only)
 *   KAFKA_SASL_MECHANISM=plain|scram-sha-256|scram-sha-512
 *   KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD
 */
export function securityFromEnv(env: NodeJS.ProcessEnv = process.env): ClientSecurity {
  const security: ClientSecurity = {};
  const caFile = env.KAFKA_SSL_CA_FILE;
  if (env.KAFKA_SSL === 'true' || caFile || env.KAFKA_SSL_INSECURE === 'true') {
    let ca: string | undefined;
    if (caFile) {
      try {
        ca = readFileSync(caFile, 'utf8');
      } catch {
        throw new UserError(`KAFKA_SSL_CA_FILE=${caFile} cannot be read.`);
      }
    }
    security.ssl = { ...(ca ? { ca: [ca] } : {}), rejectUnauthorized: env.KAFKA_SSL_INSECURE !== 'true' };
  }
  const mechanism = env.KAFKA_SASL_MECHANISM?.toLowerCase();
  if (mechanism) {
    if (!(mechanisms as readonly string[]).includes(mechanism)) {
      throw new UserError(`KAFKA_SASL_MECHANISM must be one of ${mechanisms.join(', ')}, got "${env.KAFKA_SASL_MECHANISM}".`);
    }
    const username = env.KAFKA_SASL_USERNAME;
    const password = env.KAFKA_SASL_PASSWORD;
    if (!username || !password) throw new UserError('KAFKA_SASL_MECHANISM needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD.');
    security.sasl = { mechanism: mechanism as (typeof mechanisms)[number], username, password } as ClientSecurity['sasl'];
  }
  return security;
}

/**
 * The environment's TLS/SASL settings for @platformatic/kafka: TLS options go to Node's
 * tls.connect as kafkajs's `ssl` does; SASL PLAIN and SCRAM-SHA-256/512 are mechanisms it
 * implements itself (protocol/sasl/plain.js, scram-sha.js).
 */
export function platformaticSecurity({ ssl, sasl }: ClientSecurity): PlatformaticSecurity {
  const security: PlatformaticSecurity = {};
  if (ssl) {
    const options = ssl === true ? {} : ssl;
    const ca = options.ca === undefined ? undefined : (Array.isArray(options.ca) ? options.ca : [options.ca]).map(String);
    security.tls = { ...(ca ? { ca } : {}), rejectUnauthorized: options.rejectUnauthorized !== false };
  }
  if (sasl) {
    if (!('username' in sasl) || !('password' in sasl)) throw new UserError(`SASL mechanism ${sasl.mechanism} is not supported with the platformatic client.`);
    const mechanism = sasl.mechanism.toUpperCase() as NonNullable<PlatformaticSecurity['sasl']>['mechanism'];
    security.sasl = { mechanism, username: sasl.username, password: sasl.password };
  }
  return security;
}
