import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { chooseBrokerKind, startBroker } from '../../src/broker/choose.ts';
import { resultsDir } from '../../src/util/paths.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    brokers: string[];
    brokerDescription: string;
  }
}

/**
 * Starts the suite's broker once: KAFKA_BROKER (local|container|external) if set, else the
 * cluster KAFKA_BROKERS names, else a local JVM broker — also where Docker runs, so the main
 * suite's timings do not depend on it (container-broker.test.ts covers the container).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const logDir = join(resultsDir, 'test-broker');
  mkdirSync(logDir, { recursive: true });
  // The last suite's log only: appended to, it grew by ~10 MB a run.
  rmSync(join(logDir, 'broker.log'), { force: true });
  const choice = chooseBrokerKind(undefined);
  const broker = await startBroker(choice === 'auto' ? 'local' : choice, { logPath: join(logDir, 'broker.log') });
  project.provide('brokers', broker.brokers);
  project.provide('brokerDescription', broker.description);
  return () => broker.stop();
}
