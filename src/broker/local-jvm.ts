import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdtempSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { EnvironmentError } from '../util/errors.ts';
import { kafkaLog4jPath } from '../util/paths.ts';
import { sleep } from '../util/wait-for.ts';
import type { BrokerStartOptions, StartedBroker } from './broker.ts';
import { teachingBrokerSettings } from './broker-settings.ts';
import { logTail, newClusterId, once, waitUntilReady } from './broker-start.ts';
import { freePort, isPortInUse } from './free-port.ts';
import { findJava } from './java.ts';
import { ensureKafkaJars, kafkaVersion } from './kafka-jars.ts';

/**
 * Starts Apache Kafka from Maven Central's jars as one KRaft broker+controller bound to
 * 127.0.0.1, in a fresh temporary folder. Stopping it kills the JVM and deletes the folder.
 *
 * The JVM runs under a tiny bash watchdog that reads our end of a pipe: when this Node
 * process ends in any way (even SIGKILL) the pipe closes and the watchdog kills the JVM,
 * so no broker outlives the harness.
 */
export async function startLocalJvmBroker(options: BrokerStartOptions): Promise<StartedBroker> {
  const began = Date.now();
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

  const dataDir = mkdtempSync(join(tmpdir(), 'kafka-offset-lab-broker-'));
  const configPath = join(dataDir, 'server.properties');
  writeFileSync(configPath, serverProperties({ port, controllerPort, logDir: join(dataDir, 'data') }));
  const classpath = `${libs}/*`;
  const jvmArgs = [
    '-Xms256m',
    '-Xmx768m',
    // A disposable single broker: start fast rather than peak throughput.
    '-XX:TieredStopAtLevel=1',
    '-XX:+UseSerialGC',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${kafkaLog4jPath}`,
    '-cp',
    classpath,
  ];

  const logFd = openSync(options.logPath, 'a');
  try {
    const template = await formattedStorageTemplate(java.executable, jvmArgs, libs, logFd, options);
    cpSync(template, join(dataDir, 'data'), { recursive: true });
  } catch (error) {
    closeSync(logFd);
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }

  options.onProgress?.(`starting Apache Kafka ${version} on 127.0.0.1:${port}`);
  const watchdog = spawn('bash', ['-c', watchdogScript, 'kafka-watchdog', java.executable, ...jvmArgs, 'kafka.Kafka', configPath], {
    stdio: ['pipe', logFd, logFd],
    env: { ...process.env, KOL_BROKER_DATA_DIR: dataDir },
  });
  closeSync(logFd);
  let exited = false;
  watchdog.on('exit', () => (exited = true));

  const brokers = [`127.0.0.1:${port}`];
  const ready = () =>
    waitUntilReady(brokers, { hasExited: () => exited, exitedWhat: 'the broker process exited during start-up', fail: (what) => startFailure(what, options.logPath) }, options);
  const stop = once(async () => {
    await stopWatchdog(watchdog);
    rmSync(dataDir, { recursive: true, force: true });
  });
  try {
    await ready();
  } catch (error) {
    await stop();
    throw error;
  }
  const crash = async () => {
    watchdog.kill('SIGUSR1');
    await waitUntilDown(port);
  };
  const restart = async () => {
    const began = Date.now();
    watchdog.kill('SIGUSR2');
    await ready();
    return Date.now() - began;
  };
  return {
    kind: 'local',
    brokers,
    description: `Apache Kafka ${version}, local JVM (KRaft, Java ${java.major}) on ${brokers[0]}`,
    kafkaVersion: version,
    readyMs: Date.now() - began,
    disposable: true,
    crash,
    restart,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

/** Until nothing listens on the port any more (the JVM is gone). */
async function waitUntilDown(port: number): Promise<void> {
  for (let i = 0; i < 100 && (await isPortInUse(port)); i++) await sleep(50);
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
  const code = await runToEnd(javaExecutable, [...jvmArgs, 'kafka.tools.StorageTool', 'format', '-t', newClusterId(), '-c', configPath], logFd);
  rmSync(configPath, { force: true });
  if (code !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw startFailure(`formatting the broker's storage failed (exit ${code})`, options.logPath);
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

function serverProperties({ port, controllerPort, logDir }: { port: number; controllerPort: number; logDir: string }): string {
  const settings: Record<string, string> = {
    'process.roles': 'broker,controller',
    'node.id': '1',
    'controller.quorum.voters': `1@127.0.0.1:${controllerPort}`,
    listeners: `PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names': 'CONTROLLER',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name': 'PLAINTEXT',
    'log.dirs': logDir,
    ...teachingBrokerSettings,
  };
  return Object.entries(settings).map(([k, v]) => `${k}=${v}`).join('\n') + '\n';
}

// $1 is java, the rest its arguments. Background jobs of a non-interactive shell ignore
// SIGINT, so Ctrl-C reaches the harness, which then stops the broker itself. The broker is
// disposable: it is killed, not shut down, and its data folder goes with it.
// USR1 kills the JVM and USR2 starts it again on the same data (the broker-restart fault);
// a signal interrupts \`read\` with a status above 128, which is not the pipe closing.
// Ctrl-C in a terminal reaches the whole process group: the watchdog ignores SIGINT (an
// untrapped one would end it and orphan the JVM) and waits for the harness to close the pipe.
const watchdogScript = `
trap '' INT
cmd=("$@")
start() { "\${cmd[@]}" & jvm=$!; }
crash() { kill -9 $jvm 2>/dev/null; wait $jvm 2>/dev/null; jvm=; }
cleanup() { crash; rm -rf "$KOL_BROKER_DATA_DIR"; exit 0; }
start
trap cleanup TERM
trap crash USR1
trap start USR2
while :; do read -r _; [ $? -gt 128 ] && continue; break; done
cleanup
`;

async function stopWatchdog(watchdog: ChildProcess): Promise<void> {
  if (watchdog.exitCode !== null || watchdog.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => watchdog.once('exit', () => resolve()));
  watchdog.stdin?.end();
  const timer = setTimeout(() => watchdog.kill('SIGTERM'), 5000);
  await exited;
  clearTimeout(timer);
}

function startFailure(what: string, logPath: string): EnvironmentError {
  const tail = logTail(logPath);
  const inUse = /Address already in use/.test(tail);
  return new EnvironmentError(`Kafka did not start: ${what}.${tail}`, {
    hint: inUse
      ? 'A port the broker needs is taken; run again (a new free port is picked) or stop the process using it.'
      : `The full broker log is ${logPath}.`,
  });
}

function runToEnd(command: string, args: string[], logFd: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', logFd, logFd] });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code));
  });
}
