import { mkdirSync } from 'node:fs';
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

/** Starts the suite's broker once (a local JVM broker unless KAFKA_BROKERS names one). */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const logDir = join(resultsDir, 'test-broker');
  mkdirSync(logDir, { recursive: true });
  const broker = await startBroker(chooseBrokerKind(undefined), { logPath: join(logDir, 'broker.log') });
  project.provide('brokers', broker.brokers);
  project.provide('brokerDescription', broker.description);
  return () => broker.stop();
}
