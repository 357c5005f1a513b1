import { randomUUID } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';
import { EnvironmentError, UserError, errorMessage } from '../util/errors.ts';
import type { BrokerStartOptions, StartedBroker } from './broker.ts';
import { teachingBrokerSettings } from './broker-settings.ts';
import { interruptedWhileStarting, logTail, newClusterId, once, waitUntilReady } from './broker-start.ts';
import { probeDockerEngine, startContainerWatchdog, type DockerDetector } from './docker.ts';
import { builtKafkaImage, chooseKafkaImage } from './kafka-image.ts';
import { disposableBrokerJvmOptions } from './jvm-process.ts';

/** Every container the harness starts carries this label, its value unique per broker. */
export const containerLabel = 'dev.kafka-offset-lab.broker';

/**
 * A broker property as the official image wants it in the environment (the rule of
 * apache/kafka's KafkaDockerWrapper): "KAFKA_" + upper case, "." → "_", "_" → "__", "-" → "___".
 */
export function propertyToEnv(property: string): string {
  return `KAFKA_${property.replace(/_/g, '__').replace(/-/g, '___').replace(/\./g, '_').toUpperCase()}`;
}

// Inside the container: PLAINTEXT for the host (advertised as the host-mapped port), BROKER
// for traffic between brokers (advertised as the container's hostname), CONTROLLER for KRaft.
const clientPort = 9092;
const brokerPort = 9093;
const controllerPort = 9094;
const listenersFile = '/tmp/kafka-offset-lab-advertised-listeners';
const waitingLine = 'kafka-offset-lab: waiting for the advertised listeners';

/**
 * The advertised address must name the port Docker mapped on the host, which is known only
 * once the container runs. So the container starts a tiny launcher that waits for a file;
 * the harness writes the listeners into it (docker exec) and the launcher hands over to the
 * image's own entry point, /etc/kafka/docker/run (the apache/kafka convention).
 */
const launcher = `echo "${waitingLine}"
while [ ! -s ${listenersFile} ]; do sleep 0.1; done
KAFKA_ADVERTISED_LISTENERS="$(cat ${listenersFile})"
export KAFKA_ADVERTISED_LISTENERS
echo "kafka-offset-lab: advertised listeners $KAFKA_ADVERTISED_LISTENERS"
exec /etc/kafka/docker/run`;

/** Environment of the broker container: a single KRaft broker+controller, teaching settings. */
export function containerEnvironment(): Record<string, string> {
  const settings: Record<string, string> = {
    'node.id': '1',
    'process.roles': 'broker,controller',
    listeners: `PLAINTEXT://0.0.0.0:${clientPort},BROKER://0.0.0.0:${brokerPort},CONTROLLER://0.0.0.0:${controllerPort}`,
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,BROKER:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name': 'BROKER',
    'controller.listener.names': 'CONTROLLER',
    'controller.quorum.voters': `1@localhost:${controllerPort}`,
    ...teachingBrokerSettings,
  };
  return {
    ...Object.fromEntries(Object.entries(settings).map(([property, value]) => [propertyToEnv(property), value])),
    CLUSTER_ID: newClusterId(),
    // Same heap as the local JVM broker (the image's default is 1 GB), and the same JIT and
    // collector instead of the image's G1 and full JIT: a container start 4.5 → 2.9–4.1 s, a
    // crash-mid-batch run 10.6–11.3 → 6.1–7.0 CPU-s in all (README, Timings). The image's
    // entry point adds its class archive to these options (scripts/kafka-image, like apache/kafka's).
    KAFKA_HEAP_OPTS: '-Xms256m -Xmx768m',
    KAFKA_JVM_PERFORMANCE_OPTS: disposableBrokerJvmOptions.join(' '),
  };
}

/** A semver-looking image tag is taken as the Kafka version; otherwise the version is unknown. */
function versionOfImage(image: string): string | undefined {
  const tag = /:([^:/@]+)(@.*)?$/.exec(image)?.[1];
  return tag && /^\d+\.\d+\.\d+/.test(tag) ? tag : undefined;
}

/** Binds the client port to the loopback interface only (as the local JVM broker does). */
class BrokerContainer extends GenericContainer {
  bindToLoopback(port: number): this {
    this.hostConfig.PortBindings = { ...this.hostConfig.PortBindings, [`${port}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: '0' }] };
    return this;
  }
}

/**
 * Starts Kafka in a Docker container with testcontainers. Stopping it removes the container
 * (and its volumes); so does a failed start, Ctrl-C (the harness's stop path) and — through
 * a watchdog process that plays Ryuk's part — the harness dying in any other way.
 */
export async function startContainerBroker(
  options: BrokerStartOptions,
  env: NodeJS.ProcessEnv = process.env,
  detectDocker: DockerDetector = probeDockerEngine,
): Promise<StartedBroker> {
  const began = performance.now();
  const docker = await detectDocker(env);
  if (!docker.reachable) {
    throw new EnvironmentError(`--broker container needs a Docker engine: ${docker.reason}.`, {
      hint: 'Start Docker (Docker Desktop, or dockerd: scripts/start-docker.sh), or use --broker local (Java 17+) or KAFKA_BROKERS=host:port.',
    });
  }

  // KAFKA_IMAGE, else apache/kafka or the offline build, whichever is here; else a pull.
  const { image, present } = await chooseKafkaImage(docker.endpoint, env);
  const version = versionOfImage(image);
  const id = randomUUID();
  const log = createWriteStream(options.logPath, { flags: 'a' });
  log.on('error', () => {});
  const watchdog = docker.endpoint ? startContainerWatchdog(docker.endpoint, `${containerLabel}=${id}`) : undefined;
  let started: StartedTestContainer | undefined;
  let exited = false;
  let logEnded: Promise<void> = Promise.resolve();
  const stop = once(async () => {
    // disposable: killed at once (timeout 0), removed with its volumes
    await started?.stop({ timeout: 0, remove: true, removeVolumes: true }).catch(() => {});
    await watchdog?.release(); // removes anything with our label that is still there
    await Promise.race([logEnded, new Promise((resolve) => setTimeout(resolve, 2000).unref())]); // the container's last lines, then close the file
    await closeLog(log);
  });

  try {
    options.onProgress?.(present === false ? `pulling ${image} (first use only)` : `starting container ${image}`);
    const loopbackOnly = docker.endpoint !== undefined && 'socketPath' in docker.endpoint;
    // A local engine publishes the port on 127.0.0.1 only, and that is the only address to use:
    // inside a container (CI here) testcontainers would otherwise pick the bridge gateway.
    if (loopbackOnly) process.env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';
    const container = new BrokerContainer(image)
      .withLabels({ [containerLabel]: id })
      .withEnvironment(containerEnvironment())
      .withExposedPorts(clientPort)
      .withEntrypoint(['/bin/sh', '-c', launcher])
      // No Ryuk (it would need its own image): the watchdog and stop() remove the container.
      .withAutoCleanup(false)
      .withLogConsumer((stream) => {
        stream.pipe(log, { end: false });
        logEnded = new Promise((resolve) => {
          stream.once('end', () => {
            exited = true;
            resolve();
          });
          stream.once('error', () => resolve());
        });
      })
      .withWaitStrategy(Wait.forLogMessage(waitingLine))
      .withStartupTimeout(60_000);
    if (loopbackOnly) container.bindToLoopback(clientPort);
    try {
      started = await container.start();
    } catch (error) {
      await stop(); // whatever was created is removed before the log is read
      const tail = logTail(options.logPath);
      throw new EnvironmentError(`could not start a container from image ${image}: ${firstLine(errorMessage(error))}${tail}`, {
        hint: env.KAFKA_IMAGE
          ? `Check KAFKA_IMAGE=${env.KAFKA_IMAGE} (docker image ls), build one offline (scripts/build-kafka-image.sh), or use --broker local.`
          : `Check that Docker can pull ${image} (docker pull ${image}), or build ${builtKafkaImage()} offline with scripts/build-kafka-image.sh (used when present), or use --broker local.`,
        cause: error,
      });
    }
    if (options.signal?.aborted) throw interruptedWhileStarting();

    const host = loopbackOnly || started.getHost() === 'localhost' ? '127.0.0.1' : started.getHost();
    const port = started.getMappedPort(clientPort);
    const brokers = [`${host}:${port}`];
    const advertised = `PLAINTEXT://${brokers[0]},BROKER://${started.getHostname()}:${brokerPort}`;
    const written = await started.exec(['sh', '-c', `printf '%s' "$1" > ${listenersFile}.tmp && mv ${listenersFile}.tmp ${listenersFile}`, 'sh', advertised]);
    if (written.exitCode !== 0) throw new Error(`could not hand the advertised listeners to the container: ${written.output}`);
    options.onProgress?.(`starting Apache Kafka${version ? ` ${version}` : ''} in a container on ${brokers[0]}`);
    // The broker must answer with the address we advertised: proof the mapping works.
    await waitUntilReady(brokers, { hasExited: () => exited, exitedWhat: 'the container exited during start-up', fail: (what) => new Error(what) }, options, env);

    return {
      kind: 'container',
      brokers,
      description: `Apache Kafka${version ? ` ${version}` : ''}, container ${image} (testcontainers) on ${brokers[0]}`,
      kafkaVersion: version,
      readyMs: Math.round(performance.now() - began),
      disposable: true,
      stop,
      [Symbol.asyncDispose]: stop,
    };
  } catch (error) {
    await stop();
    if (error instanceof UserError) throw error;
    throw startFailure(errorMessage(error), options.logPath);
  }
}

function startFailure(what: string, logPath: string): EnvironmentError {
  return new EnvironmentError(`Kafka did not start in its container: ${what}.${logTail(logPath)}`, {
    hint: `The full broker log is ${logPath}; the container was removed.`,
  });
}

const firstLine = (text: string) => text.trim().split('\n')[0] ?? '';

function closeLog(log: WriteStream): Promise<void> {
  return new Promise((resolve) => (log.closed ? resolve() : log.end(() => resolve())));
}
