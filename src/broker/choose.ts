import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { EnvironmentError, UserError } from '../util/errors.ts';
import type { BrokerKind, BrokerStartOptions, StartedBroker } from './broker.ts';
import { startContainerBroker } from './container.ts';
import { probeDockerEngine, type DockerProbe } from './docker.ts';
import { connectExternalBroker } from './external.ts';
import { findJava } from './java.ts';
import { hasKafkaJars, kafkaLibsDir } from './kafka-jars.ts';
import { startLocalJvmBroker } from './local-jvm.ts';

export const brokerKinds: readonly BrokerKind[] = ['container', 'local', 'external'];

/** A broker kind, or 'auto': decided by looking at the machine (see resolveBrokerKind). */
export type BrokerChoice = BrokerKind | 'auto';

/**
 * The part of the choice that needs no probing: an explicit choice (--broker or KAFKA_BROKER)
 * is validated, KAFKA_BROKERS means that external cluster; otherwise 'auto'.
 */
export function chooseBrokerKind(requested: string | undefined, env: NodeJS.ProcessEnv = process.env): BrokerChoice {
  const choice = requested ?? (env.KAFKA_BROKER || undefined);
  if (choice !== undefined) {
    if (!(brokerKinds as readonly string[]).includes(choice)) {
      throw new UserError(`unknown broker "${choice}"; choose one of: ${brokerKinds.join(', ')}.`);
    }
    if (choice === 'external' && !env.KAFKA_BROKERS) {
      throw new UserError('--broker external needs KAFKA_BROKERS=host:port,...');
    }
    return choice as BrokerKind;
  }
  return env.KAFKA_BROKERS ? 'external' : 'auto';
}

/** What the automatic choice looks at; injectable so that tests do not depend on the machine. */
export interface MachineProbe {
  docker(env: NodeJS.ProcessEnv): Promise<DockerProbe>;
  /** Why a local JVM broker cannot start here (one line each, with the fix); empty when it can. */
  localJvmProblems(env: NodeJS.ProcessEnv): string[];
}

export const machineProbe: MachineProbe = {
  docker: probeDockerEngine,
  localJvmProblems(env) {
    const problems: string[] = [];
    try {
      findJava(env);
    } catch (error) {
      problems.push(`${(error as Error).message} ${(error as EnvironmentError).hint ?? ''}`.trim());
    }
    if (!hasKafkaJars() && !onPath('mvn', env)) {
      problems.push(
        `Maven (mvn) was not found and Kafka's jars are not cached in ${kafkaLibsDir()}; Maven fetches them on first use. ` +
          'Install Maven (Debian: apt-get install maven).',
      );
    }
    return problems;
  },
};

/**
 * 'auto' becomes: a container when a Docker engine answers, else the local JVM broker when
 * Java (and Maven or cached jars) are there, else one error that says what was looked for
 * and how to get each.
 */
export async function resolveBrokerKind(choice: BrokerChoice, env: NodeJS.ProcessEnv = process.env, probe: MachineProbe = machineProbe): Promise<BrokerKind> {
  if (choice !== 'auto') return choice;
  const docker = await probe.docker(env);
  if (docker.reachable) return 'container';
  const jvmProblems = probe.localJvmProblems(env);
  if (jvmProblems.length === 0) return 'local';
  throw new EnvironmentError(
    [
      'no way to run a Kafka broker was found. Looked for:',
      `  • a Docker engine (--broker container): ${docker.reason}. Install and start Docker (Docker Desktop, or apt-get install docker.io; scripts/start-docker.sh starts dockerd).`,
      ...jvmProblems.map((problem) => `  • the local JVM broker (--broker local): ${problem}`),
      '  • an existing cluster (--broker external): KAFKA_BROKERS is not set. Set KAFKA_BROKERS=host:port,...',
    ].join('\n'),
    { hint: 'Any one of the three is enough.' },
  );
}

export async function startBroker(
  choice: BrokerChoice,
  options: BrokerStartOptions,
  env: NodeJS.ProcessEnv = process.env,
  probe: MachineProbe = machineProbe,
): Promise<StartedBroker> {
  const kind = await resolveBrokerKind(choice, env, probe);
  if (choice === 'auto' && kind === 'container') options.onProgress?.('Docker engine found: Kafka runs in a container (--broker local for the JVM broker)');
  switch (kind) {
    case 'external':
      return connectExternalBroker(env.KAFKA_BROKERS ?? '');
    case 'container':
      return startContainerBroker(options, env, probe.docker);
    case 'local':
      return startLocalJvmBroker(options);
  }
}

function onPath(command: string, env: NodeJS.ProcessEnv): boolean {
  return (env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir || '.', command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
