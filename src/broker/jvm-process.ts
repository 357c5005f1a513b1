import { spawn, type ChildProcess } from 'node:child_process';
import { EnvironmentError } from '../util/errors.ts';
import { kafkaLog4jPath } from '../util/paths.ts';
import { sleep } from '../util/wait-for.ts';
import { logTail } from './broker-start.ts';
import { isPortInUse } from './free-port.ts';

/**
 * What the JVM brokers the harness starts share (one local broker, or each node of the local
 * cluster): the JVM's arguments, the watchdog that keeps it from outliving the harness, and
 * how it is stopped.
 */

/**
 * A disposable broker starts fast rather than reaching peak throughput: the quick JIT only (C1)
 * and the serial collector. Also given to the broker in a container (src/broker/container.ts).
 */
export const disposableBrokerJvmOptions = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Djava.awt.headless=true'] as const;

/** JVM arguments for a disposable broker. */
export function brokerJvmArgs(libs: string, { heapMb }: { heapMb: { min: number; max: number } }): string[] {
  return [
    `-Xms${heapMb.min}m`,
    `-Xmx${heapMb.max}m`,
    ...disposableBrokerJvmOptions,
    `-Dlog4j2.configurationFile=${kafkaLog4jPath}`,
    '-cp',
    `${libs}/*`,
  ];
}

// $1 is java, the rest its arguments. Background jobs of a non-interactive shell ignore
// SIGINT, so Ctrl-C reaches the harness, which then stops the broker itself. The broker is
// disposable: it is killed, not shut down, and its data folder goes with it.
// USR1 kills the JVM and USR2 starts it again on the same data (broker-restart, leader-failover);
// HUP stops it gracefully and waits for it (a JVM that dumps its class archive at exit);
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
trap 'kill -TERM $jvm 2>/dev/null; wait $jvm 2>/dev/null; jvm=' HUP
while :; do read -r _; [ $? -gt 128 ] && continue; break; done
cleanup
`;

/**
 * Runs `java <args>` under a bash watchdog that reads our end of a pipe: when this Node
 * process ends in any way (even SIGKILL) the pipe closes and the watchdog kills the JVM and
 * deletes `dataDir`, so no broker outlives the harness.
 */
export function spawnWatchdog(java: string, args: string[], { logFd, dataDir }: { logFd: number; dataDir: string }): ChildProcess {
  return spawn('bash', ['-c', watchdogScript, 'kafka-watchdog', java, ...args], {
    stdio: ['pipe', logFd, logFd],
    env: { ...process.env, KOL_BROKER_DATA_DIR: dataDir },
  });
}

/** SIGKILL the JVM below a watchdog, keeping its data. */
export const crashJvm = (watchdog: ChildProcess) => watchdog.kill('SIGUSR1');
/** Start the JVM below a watchdog again, on the same data and ports. */
export const restartJvm = (watchdog: ChildProcess) => watchdog.kill('SIGUSR2');

/** Stops the JVM (killed, or with `graceful` shut down and waited for) and its watchdog. */
export async function stopWatchdog(watchdog: ChildProcess, { graceful = false }: { graceful?: boolean } = {}): Promise<void> {
  if (watchdog.exitCode !== null || watchdog.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => watchdog.once('exit', () => resolve()));
  if (graceful) watchdog.kill('SIGHUP');
  watchdog.stdin?.end();
  const timer = setTimeout(() => watchdog.kill('SIGTERM'), graceful ? 30_000 : 5000);
  await exited;
  clearTimeout(timer);
}

/** Until nothing listens on the port any more (the JVM is gone). */
export async function waitUntilDown(port: number): Promise<void> {
  for (let i = 0; i < 100 && (await isPortInUse(port)); i++) await sleep(50);
}

export function startFailure(what: string, logPath: string): EnvironmentError {
  const tail = logTail(logPath);
  const inUse = /Address already in use/.test(tail);
  return new EnvironmentError(`Kafka did not start: ${what}.${tail}`, {
    hint: inUse
      ? 'A port the broker needs is taken; run again (a new free port is picked) or stop the process using it.'
      : `The full broker log is ${logPath}.`,
  });
}

export function runToEnd(command: string, args: string[], logFd: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', logFd, logFd] });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code));
  });
}

/** server.properties text from a table of settings. */
export const propertiesText = (settings: Record<string, string>) => Object.entries(settings).map(([k, v]) => `${k}=${v}`).join('\n') + '\n';
