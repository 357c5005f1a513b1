import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createKafka } from '../kafka/client.ts';
import { ExitCode, UserError } from '../util/errors.ts';
import { sleep } from '../util/wait-for.ts';
import type { BrokerStartOptions } from './broker.ts';

/**
 * What the broker providers that start a broker (local JVM, container) share: the readiness
 * wait and its one timeout, the cluster id, a stop that runs once, the log tail of a failure.
 */

/** How long a started broker may take to answer metadata requests; KAFKA_READY_TIMEOUT_MS overrides it. */
export const defaultReadyTimeoutMs = 90_000;

export function readyTimeoutMs(options: BrokerStartOptions, env: NodeJS.ProcessEnv = process.env): number {
  return options.readyTimeoutMs ?? (Number(env.KAFKA_READY_TIMEOUT_MS) || defaultReadyTimeoutMs);
}

export const interruptedWhileStarting = () => new UserError('interrupted while the broker was starting', { exitCode: ExitCode.interrupted });

/**
 * Resolves once a kafkajs metadata request to brokers[0] answers with a controller and with
 * brokers[0] itself among the brokers (the address clients were given works), and a group's
 * coordinator answers: __consumer_offsets is created by the first coordinator lookup and then
 * loaded, and a consumer that met it still loading got COORDINATOR_LOAD_IN_PROGRESS and, on its
 * restart, kafkajs's "Failed to find group coordinator", which kafkajs does not retry (seen once,
 * the container broker's first run under the test suite's load). Rejects with
 * `fail(what)` when the broker process is gone (`hasExited`) or the time is up, and with the
 * interruption error on Ctrl-C.
 */
export async function waitUntilReady(
  brokers: string[],
  { hasExited, exitedWhat, fail }: { hasExited: () => boolean; exitedWhat: string; fail: (what: string) => Error },
  options: BrokerStartOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const timeoutMs = readyTimeoutMs(options, env);
  const deadline = performance.now() + timeoutMs;
  const admin = createKafka(brokers, 'kafka-offset-lab-ready', { connectionTimeout: 500, retries: 0 }).admin();
  try {
    for (;;) {
      if (options.signal?.aborted) throw interruptedWhileStarting();
      if (hasExited()) throw fail(exitedWhat);
      if (performance.now() > deadline) throw fail(`the broker was not ready after ${Math.round(timeoutMs / 1000)} s`);
      try {
        await admin.connect();
        const cluster = await admin.describeCluster();
        if (cluster.controller !== null && cluster.brokers.some((b) => `${b.host}:${b.port}` === brokers[0])) {
          await admin.describeGroups(['kafka-offset-lab-ready']); // throws while the coordinator is missing or loading
          return;
        }
      } catch {
        // not listening yet, or its group coordinator not loaded yet
      }
      await sleep(150);
    }
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

/** Kafka cluster ids are 16 random bytes in URL-safe base64 without padding, not starting with '-'. */
export function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** A stop function that does its work once, however often (and concurrently) it is called. */
export function once(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= fn());
}

/** The last lines of the broker's log, as a paragraph to append to an error message ('' if none). */
export function logTail(logPath: string): string {
  const text = existsSync(logPath) ? readFileSync(logPath, 'utf8').trim() : '';
  return text ? `\nLast lines of ${logPath}:\n${text.split('\n').slice(-12).join('\n')}` : '';
}
