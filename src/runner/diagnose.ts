import { closeSync, fsyncSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { StartedBroker } from '../broker/broker.ts';
import { createKafka } from '../kafka/client.ts';
import { diskFailure, EnvironmentError, ExitCode, UserError } from '../util/errors.ts';
import { sleep } from '../util/wait-for.ts';

/**
 * When a phase fails, what failed is often not the harness but the world under it: a full or
 * read-only results disk, a broker that died. Those are the environment (exit 3) and must be
 * said as such, never left as "a consumer did not drain" (exit 4), and never become counts.
 * Returns the environment's error, or undefined when the results disk and the broker are fine.
 */
export async function environmentCause(
  { workDir, broker, phase, probeMs = 10_000 }: { workDir: string; broker: StartedBroker; phase: string; probeMs?: number },
): Promise<EnvironmentError | undefined> {
  const disk = resultsDiskProblem(workDir);
  if (disk) return disk;
  if (await brokerAnswersWithin(broker, probeMs)) return undefined;
  return new EnvironmentError(
    `the broker at ${broker.brokers.join(',')} stopped answering during ${phase} and did not come back within ${probeMs / 1000} s; the run stopped without counts`,
    { hint: broker.disposable ? 'The broker the harness started died (out of memory? killed?): its log is broker.log in the results folder.' : 'Check the cluster (KAFKA_BROKERS) and run again.' },
  );
}

/** Writes, syncs and deletes a small file in the run's folder: a full or read-only disk fails here. */
export function resultsDiskProblem(workDir: string): EnvironmentError | undefined {
  const probe = join(workDir, '.write-probe');
  try {
    const fd = openSync(probe, 'w');
    try {
      writeSync(fd, Buffer.alloc(64 * 1024, 1));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    rmSync(probe, { force: true });
    return undefined;
  } catch (error) {
    rmSync(probe, { force: true });
    return diskFailure(Object.assign(error as Error, { path: (error as { path?: string }).path ?? probe }));
  }
}

/** Asks the cluster for its metadata on a fresh connection, a few times, until `withinMs`. */
async function brokerAnswersWithin(broker: StartedBroker, withinMs: number): Promise<boolean> {
  const until = performance.now() + withinMs;
  do {
    const admin = createKafka(broker.brokers, 'kol-broker-probe', { connectionTimeout: 1000, requestTimeout: 2000, retries: 0, security: broker.security }).admin();
    try {
      await admin.connect();
      await admin.describeCluster();
      return true;
    } catch {
      await sleep(1000);
    } finally {
      await admin.disconnect().catch(() => {});
    }
  } while (performance.now() < until);
  return false;
}

/**
 * A phase's error as the user must see it: the environment's when it is the cause, the phase's
 * own otherwise, and "interrupted" after Ctrl-C whichever step the abort reached (a spawn or a
 * timer given the signal rejects with a bare AbortError).
 */
export async function explainPhaseFailure(error: unknown, context: { workDir: string; broker: StartedBroker; phase: string; signal?: AbortSignal }): Promise<unknown> {
  if (error instanceof UserError) return error;
  if (context.signal?.aborted) return interruptedError(error);
  return diskFailure(error) ?? (await environmentCause(context)) ?? error;
}

/** What a run stopped by its abort signal rejects with, wherever the abort reached it. */
export function interruptedError(cause?: unknown): UserError {
  return new UserError('interrupted', { exitCode: ExitCode.interrupted, cause });
}
