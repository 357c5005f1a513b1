import { createKafka } from '../kafka/client.ts';
import { securityFromEnv, type ClientSecurity } from '../kafka/security.ts';
import { EnvironmentError, UserError } from '../util/errors.ts';
import type { StartedBroker } from './broker.ts';

/** Parses KAFKA_BROKERS ("host:port,host:port"); a malformed entry is a usage error. */
export function parseBrokerList(value: string): string[] {
  const brokers = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (brokers.length === 0) throw new UserError('KAFKA_BROKERS is empty.', { hint: 'Example: KAFKA_BROKERS=localhost:9092' });
  for (const broker of brokers) {
    const match = /^(\[[^\]]+\]|[^:\s]+):(\d{1,5})$/.exec(broker);
    const port = Number(match?.[2]);
    if (!match || port < 1 || port > 65535) {
      throw new UserError(`KAFKA_BROKERS entry "${broker}" is not host:port.`, { hint: 'Example: KAFKA_BROKERS=localhost:9092,other:9092' });
    }
  }
  return brokers;
}

/**
 * Why the cluster could not be used. Nothing listening is said plainly; a connection that
 * was accepted and then closed (or never answered) is what a cluster requiring SASL or TLS
 * does to a plaintext client, or something that is not Kafka: both are named, with the
 * variables that set SASL and TLS.
 */
export function unreachable(brokers: string[], error: unknown, security: ClientSecurity): EnvironmentError {
  const message = (error as Error).message;
  const where = `the Kafka cluster at ${brokers.join(',')} (KAFKA_BROKERS)`;
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH/.test(`${message} ${String((error as { cause?: Error }).cause?.message ?? '')}`)) {
    return new EnvironmentError(`cannot reach ${where}: ${message}`, { hint: 'Check the address and that the cluster runs, or unset KAFKA_BROKERS to start a local broker.' });
  }
  if (/certificate|self[- ]signed|unable to verify|CERT_|ERR_TLS/i.test(message)) {
    return new EnvironmentError(`cannot reach ${where}: the cluster's TLS certificate is not trusted: ${message}`, {
      hint: 'Set KAFKA_SSL_CA_FILE to the PEM file of the CA that signed the brokers\' certificates (KAFKA_SSL_INSECURE=true skips the check: test clusters only).',
    });
  }
  if (/SASL|authenticat/i.test(message)) {
    return new EnvironmentError(`cannot reach ${where}: ${message}`, { hint: 'Check KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD.' });
  }
  const missing = [security.ssl ? '' : 'TLS (KAFKA_SSL=true, or KAFKA_SSL_CA_FILE=ca.pem)', security.sasl ? '' : 'SASL (KAFKA_SASL_MECHANISM=plain|scram-sha-256|scram-sha-512 with KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD)'].filter(Boolean);
  const hint = missing.length > 0
    ? `The address answers but closed the connection or gave no Kafka reply: the cluster may require ${missing.join(' or ')}, or what listens there is not Kafka.`
    : 'The address answers but closed the connection or gave no Kafka reply: check the TLS and SASL settings against the cluster\'s listener, or what listens there is not Kafka.';
  return new EnvironmentError(`cannot reach ${where}: ${message}`, { hint });
}

/** Uses a cluster someone else runs: nothing is started, and stopping it does nothing. */
export async function connectExternalBroker(value: string): Promise<StartedBroker> {
  const brokers = parseBrokerList(value);
  const security = securityFromEnv();
  const began = performance.now();
  // A short request timeout: a port where something silent listens must not hold the user 90 s.
  const admin = createKafka(brokers, 'kafka-offset-lab-probe', { connectionTimeout: 3000, requestTimeout: 3000, retries: 2, security }).admin();
  try {
    await admin.connect();
    await admin.describeCluster();
  } catch (error) {
    throw unreachable(brokers, error, security);
  } finally {
    await admin.disconnect().catch(() => {});
  }
  const stop = async () => {};
  return {
    kind: 'external',
    brokers,
    description: `external cluster at ${brokers.join(',')} (KAFKA_BROKERS)`,
    kafkaVersion: undefined,
    readyMs: Math.round(performance.now() - began),
    disposable: false,
    security,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
