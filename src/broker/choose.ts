import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { EnvironmentError, UserError } from '../util/errors.ts';
import type { BrokerKind, BrokerStartOptions, StartedBroker } from './broker.ts';
import { probeDockerEngine, type DockerEndpoint, type DockerProbe } from './docker.ts';
import { connectExternalBroker } from './external.ts';
import { findJava } from './java.ts';
import { builtKafkaImage, firstPresentImage, kafkaImageCandidates, presentKafkaImages } from './kafka-image.ts';
import { hasKafkaJars, kafkaLibsDir } from './kafka-jars.ts';
import { startLocalCluster } from './local-cluster.ts';
import { startLocalJvmBroker } from './local-jvm.ts';

export const brokerKinds: readonly BrokerKind[] = ['container', 'local', 'external', 'cluster'];

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
  /** Which of these Kafka images the engine holds locally; undefined when it cannot be asked. */
  presentImages(endpoint: DockerEndpoint | undefined, candidates: readonly string[]): Promise<ReadonlySet<string> | undefined>;
  /** Why a local JVM broker cannot start here (one line each, with the fix); empty when it can. */
  localJvmProblems(env: NodeJS.ProcessEnv): string[];
}

export const machineProbe: MachineProbe = {
  docker: probeDockerEngine,
  presentImages: presentKafkaImages,
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

/** What was found on the machine: the facts the automatic choice is made from. */
export interface MachineFacts {
  docker: DockerProbe;
  /** The Kafka images the container broker may run, best first (KAFKA_IMAGE alone when set). */
  imageCandidates: readonly string[];
  /** Those present in the engine's local store; undefined when the engine could not be asked. */
  presentImages: ReadonlySet<string> | undefined;
  jvmProblems: string[];
}

/** notice: one line for stderr that says why, when the choice falls back. */
export type AutomaticChoice =
  | { kind: BrokerKind; notice?: string }
  | { kind: 'none'; message: string };

/**
 * The automatic choice, a pure function of the facts. A container only when a Docker engine
 * answers and a Kafka image is already there: pulling needs a registry, which may not be
 * reachable. Else the local JVM broker (saying why when Docker runs). Else a container after
 * all, pulled on first use, since nothing else is left. Else one message with what to install.
 */
export function decideAutomatically(facts: MachineFacts): AutomaticChoice {
  const { docker, imageCandidates, presentImages, jvmProblems } = facts;
  if (docker.reachable && firstPresentImage(imageCandidates, presentImages) !== undefined) return { kind: 'container' };
  if (jvmProblems.length === 0) {
    if (!docker.reachable) return { kind: 'local' };
    const missing =
      presentImages === undefined
        ? `its local images could not be listed`
        : `no Kafka image is there (${imageCandidates.join(', ')})`;
    return {
      kind: 'local',
      notice:
        `Docker engine found (${docker.where}) but ${missing}: Kafka runs on the local JVM broker ` +
        `(--broker container pulls ${imageCandidates[0]}; scripts/build-kafka-image.sh builds ${builtKafkaImage()} without a registry).`,
    };
  }
  if (docker.reachable) return { kind: 'container' };
  return {
    kind: 'none',
    message: [
      'no way to run a Kafka broker was found. Looked for:',
      `  • a Docker engine (--broker container): ${docker.reason}. Install and start Docker (Docker Desktop, or apt-get install docker.io; scripts/start-docker.sh starts dockerd).`,
      ...jvmProblems.map((problem) => `  • the local JVM broker (--broker local): ${problem}`),
      '  • an existing cluster (--broker external): KAFKA_BROKERS is not set. Set KAFKA_BROKERS=host:port,...',
    ].join('\n'),
  };
}

/** Gathers the facts for decideAutomatically (well under a second). */
export async function lookAtMachine(env: NodeJS.ProcessEnv, probe: MachineProbe): Promise<MachineFacts> {
  const docker = await probe.docker(env);
  const imageCandidates = kafkaImageCandidates(env);
  const presentImages = docker.reachable ? await probe.presentImages(docker.endpoint, imageCandidates) : undefined;
  return { docker, imageCandidates, presentImages, jvmProblems: probe.localJvmProblems(env) };
}

/**
 * 'auto' becomes a kind (decideAutomatically); an explicit kind stays as it is. `say` gets
 * the one line that explains a fallback (stderr by default).
 */
export async function resolveBrokerKind(
  choice: BrokerChoice,
  env: NodeJS.ProcessEnv = process.env,
  probe: MachineProbe = machineProbe,
  say: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<BrokerKind> {
  if (choice !== 'auto') return choice;
  const decided = decideAutomatically(await lookAtMachine(env, probe));
  if (decided.kind === 'none') throw new EnvironmentError(decided.message, { hint: 'Any one of the three is enough.' });
  if (decided.notice) say(decided.notice);
  return decided.kind;
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
    case 'container': {
      // Loaded only for a container: testcontainers and its ~500 modules cost every other
      // command ~0.2 CPU-s of start-up (measured: scenario --list 0.46 → 0.25 CPU-s).
      const { startContainerBroker } = await import('./container.ts');
      return startContainerBroker(options, env, probe.docker);
    }
    case 'local':
      return startLocalJvmBroker(options);
    case 'cluster':
      return startLocalCluster(options);
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
