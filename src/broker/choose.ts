import { UserError } from '../util/errors.ts';
import type { BrokerKind, BrokerStartOptions, StartedBroker } from './broker.ts';
import { connectExternalBroker } from './external.ts';
import { startLocalJvmBroker } from './local-jvm.ts';

export const brokerKinds: readonly BrokerKind[] = ['local', 'external'];

/**
 * Which broker a run uses: an explicit choice (--broker or KAFKA_BROKER), else an existing
 * cluster when KAFKA_BROKERS is set, else a local JVM broker from Kafka's own jars.
 */
export function chooseBrokerKind(requested: string | undefined, env: NodeJS.ProcessEnv = process.env): BrokerKind {
  const choice = requested ?? env.KAFKA_BROKER;
  if (choice !== undefined) {
    if (!(brokerKinds as readonly string[]).includes(choice)) {
      throw new UserError(`unknown broker "${choice}"; choose one of: ${brokerKinds.join(', ')}.`);
    }
    if (choice === 'external' && !env.KAFKA_BROKERS) {
      throw new UserError('--broker external needs KAFKA_BROKERS=host:port,...');
    }
    return choice as BrokerKind;
  }
  return env.KAFKA_BROKERS ? 'external' : 'local';
}

export function startBroker(kind: BrokerKind, options: BrokerStartOptions, env: NodeJS.ProcessEnv = process.env): Promise<StartedBroker> {
  return kind === 'external' ? connectExternalBroker(env.KAFKA_BROKERS ?? '') : startLocalJvmBroker(options);
}
