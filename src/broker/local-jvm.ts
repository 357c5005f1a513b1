import { closeSync, cpSync, existsSync, mkdtempSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { EnvironmentError } from '../util/errors.ts';
import type { BrokerStartOptions, StartedBroker } from './broker.ts';
import { teachingBrokerSettings } from './broker-settings.ts';
import { newClusterId, once, waitUntilReady } from './broker-start.ts';
import { freePort, isPortInUse } from './free-port.ts';
import { findJava } from './java.ts';
import { ensureKafkaJars, kafkaVersion } from './kafka-jars.ts';
import { classArchive } from './class-archive.ts';
import { brokerJvmArgs, crashJvm, propertiesText, restartJvm, runToEnd, spawnWatchdog, startFailure, stopWatchdog, waitUntilDown } from './jvm-process.ts';

/**
 * Starts Apache Kafka from Maven Central's jars as one KRaft broker+controller bound to
 * 127.0.0.1, in a fresh temporary folder. Stopping it kills the JVM and deletes the folder.
 *
 * The JVM runs under a tiny bash watchdog that reads our end of a pipe: when this Node
 * process ends in any way (even SIGKILL) the pipe closes and the watchdog kills the JVM,
 * so no broker outlives the harness.
 */
/**
 * A client listener besides PLAINTEXT (which stays for readiness and the broker's own traffic):
 * SASL or TLS, to test the harness against a cluster that requires them (test/security).
 */
export interface ExtraListener {
  protocol: 'SASL_PLAINTEXT' | 'SSL';
  /** Broker settings the listener needs (JAAS, keystore …). */
  settings: Record<string, string>;
}

export interface LocalJvmOptions {
  extraListeners?: readonly ExtraListener[];
  /** Extra arguments of the storage format (e.g. --add-scram): the storage is then formatted for this broker alone. */
  formatArgs?: readonly string[];
}

export async function startLocalJvmBroker(options: BrokerStartOptions & LocalJvmOptions): Promise<StartedBroker & { listeners: Record<string, string> }> {
  const began = performance.now();
  const java = findJava();
  const libs = await ensureKafkaJars(options.onProgress);
  const version = kafkaVersion();
  const port = Number(process.env.KAFKA_LOCAL_PORT) || (await freePort());
  const controllerPort = await freePort();
  if (await isPortInUse(port)) {
    throw new EnvironmentError(`port ${port} on 127.0.0.1 is already in use; the local broker cannot listen there.`, {
      hint: 'Unset KAFKA_LOCAL_PORT to let the harness pick a free port, or stop what listens there.',
    });
  }

  const extra: Array<ExtraListener & { address: string }> = [];
  for (const listener of options.extraListeners ?? []) extra.push({ ...listener, address: `127.0.0.1:${await freePort()}` });
  const listeners = Object.fromEntries(extra.map((l) => [l.protocol, l.address]));
  const dataDir = mkdtempSync(join(tmpdir(), 'kafka-offset-lab-broker-'));
  const configPath = join(dataDir, 'server.properties');
  writeFileSync(configPath, serverProperties({ port, controllerPort, logDir: join(dataDir, 'data'), extra }));
  const baseArgs = brokerJvmArgs(libs, { heapMb: { min: 256, max: 768 } });
  const archive = classArchive(libs, java.major);
  const jvmArgs = [...archive.jvmArgs, ...baseArgs];

  const logFd = openSync(options.logPath, 'a');
  try {
    if (options.formatArgs) await formatStorage(java.executable, baseArgs, configPath, options.formatArgs, logFd, options.logPath);
    else cpSync(await formattedStorageTemplate(java.executable, baseArgs, libs, logFd, options), join(dataDir, 'data'), { recursive: true });
  } catch (error) {
    closeSync(logFd);
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }

  options.onProgress?.(`starting Apache Kafka ${version} on 127.0.0.1:${port}`);
  const watchdog = spawnWatchdog(java.executable, [...jvmArgs, 'kafka.Kafka', configPath], { logFd, dataDir });
  closeSync(logFd);
  let exited = false;
  watchdog.on('exit', () => (exited = true));

  const brokers = [`127.0.0.1:${port}`];
  const ready = () =>
    waitUntilReady(brokers, { hasExited: () => exited, exitedWhat: 'the broker process exited during start-up', fail: (what) => startFailure(what, options.logPath) }, options);
  const stop = once(async () => {
    await stopWatchdog(watchdog, { graceful: archive.recording });
    if (archive.recording) archive.keep();
    rmSync(dataDir, { recursive: true, force: true });
  });
  try {
    await ready();
  } catch (error) {
    await stop();
    throw error;
  }
  const crash = async () => {
    crashJvm(watchdog);
    await waitUntilDown(port);
  };
  const restart = async () => {
    const began = performance.now();
    restartJvm(watchdog);
    await ready();
    return Math.round(performance.now() - began);
  };
  return {
    kind: 'local',
    brokers,
    description: `Apache Kafka ${version}, local JVM (KRaft, Java ${java.major}) on ${brokers[0]}`,
    kafkaVersion: version,
    readyMs: Math.round(performance.now() - began),
    disposable: true,
    listeners,
    crash,
    restart,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

/**
 * KRaft storage formatted once per Kafka version and copied into each new broker's folder:
 * formatting costs a JVM start (~2 s), copying its two small files costs nothing. Every
 * broker then has the same cluster id, which is harmless: each is a cluster of its own.
 */
async function formattedStorageTemplate(javaExecutable: string, jvmArgs: string[], libs: string, logFd: number, options: BrokerStartOptions): Promise<string> {
  const template = join(dirname(libs), 'kraft-storage-template');
  if (existsSync(join(template, 'meta.properties'))) return template;
  options.onProgress?.(`formatting KRaft storage (once per Kafka version)`);
  const staging = `${template}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const configPath = `${staging}.properties`;
  writeFileSync(configPath, serverProperties({ port: 9092, controllerPort: 9093, logDir: staging }));
  try {
    await formatStorage(javaExecutable, jvmArgs, configPath, [], logFd, options.logPath);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  } finally {
    rmSync(configPath, { force: true });
  }
  try {
    renameSync(staging, template);
  } catch (error) {
    // another harness formatted it at the same time: use theirs
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(join(template, 'meta.properties'))) throw error;
  }
  return template;
}

async function formatStorage(javaExecutable: string, jvmArgs: string[], configPath: string, extraArgs: readonly string[], logFd: number, logPath: string): Promise<void> {
  const code = await runToEnd(javaExecutable, [...jvmArgs, 'kafka.tools.StorageTool', 'format', '-t', newClusterId(), '-c', configPath, ...extraArgs], logFd);
  if (code !== 0) throw startFailure(`formatting the broker's storage failed (exit ${code})`, logPath);
}

function serverProperties({ port, controllerPort, logDir, extra = [] }: { port: number; controllerPort: number; logDir: string; extra?: ReadonlyArray<ExtraListener & { address: string }> }): string {
  const clientListeners = [`PLAINTEXT://127.0.0.1:${port}`, ...extra.map((l) => `${l.protocol}://${l.address}`)].join(',');
  const settings: Record<string, string> = {
    'process.roles': 'broker,controller',
    'node.id': '1',
    'controller.quorum.voters': `1@127.0.0.1:${controllerPort}`,
    listeners: `${clientListeners},CONTROLLER://127.0.0.1:${controllerPort}`,
    'advertised.listeners': clientListeners,
    'controller.listener.names': 'CONTROLLER',
    'listener.security.protocol.map': ['PLAINTEXT:PLAINTEXT', 'CONTROLLER:PLAINTEXT', ...extra.map((l) => `${l.protocol}:${l.protocol}`)].join(','),
    'inter.broker.listener.name': 'PLAINTEXT',
    'log.dirs': logDir,
    ...teachingBrokerSettings,
    ...Object.assign({}, ...extra.map((l) => l.settings)),
  };
  return propertiesText(settings);
}
