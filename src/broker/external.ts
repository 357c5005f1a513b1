import { createKafka } from '../kafka/client.ts';
import { securityFromEnv } from '../kafka/security.ts';
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

/** Uses a cluster someone else runs: nothing is started, and stopping it does nothing. */
export async function connectExternalBroker(value: string): Promise<StartedBroker> {
  const brokers = parseBrokerList(value);
  const security = securityFromEnv();
  const began = Date.now();
  const admin = createKafka(brokers, 'kafka-offset-lab-probe', { connectionTimeout: 3000, retries: 2, security }).admin();
  try {
    await admin.connect();
    await admin.describeCluster();
  } catch (error) {
    throw new EnvironmentError(`cannot reach the Kafka cluster at ${brokers.join(',')} (KAFKA_BROKERS): ${(error as Error).message}`, {
      hint: 'Check the address and that the cluster runs, or unset KAFKA_BROKERS to start a local broker.',
    });
  } finally {
    await admin.disconnect().catch(() => {});
  }
  const stop = async () => {};
  return {
    kind: 'external',
    brokers,
    description: `external cluster at ${brokers.join(',')} (KAFKA_BROKERS)`,
    kafkaVersion: undefined,
    readyMs: Date.now() - began,
    disposable: false,
    security,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
