import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import { createKafka, teachingSessionTimeoutMs } from '../kafka/client.ts';
import { resultsDir } from '../util/paths.ts';
import type { BrokerKind, StartedBroker } from './broker.ts';

/**
 * The lesson broker (`npm run broker`): one teaching broker kept up for a whole lesson. It
 * leaves a small state file; the scenario command's automatic choice finds it there, checks
 * that it is alive and answering and that it allows the teaching session, and uses it.
 */

const marker = 'kafka-offset-lab teaching broker';

export interface TeachingBrokerState {
  marker: typeof marker;
  /** The `npm run broker` process. */
  pid: number;
  brokers: string[];
  kind: BrokerKind;
  description: string;
  kafkaVersion: string | undefined;
  logPath: string;
  startedAt: string;
}

export const teachingStatePath = () => join(resultsDir, '.teaching-broker.json');

export function writeTeachingState(state: Omit<TeachingBrokerState, 'marker'>, path = teachingStatePath()): void {
  const staging = `${path}.${process.pid}.partial`;
  writeFileSync(staging, JSON.stringify({ marker, ...state }, null, 2) + '\n');
  renameSync(staging, path);
}

/** Removes the state file if it is this process's (another lesson broker's file stays). */
export function removeTeachingState(pid = process.pid, path = teachingStatePath()): void {
  if (readState(path)?.pid === pid) rmSync(path, { force: true });
}

function readState(path: string): TeachingBrokerState | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const state = JSON.parse(readFileSync(path, 'utf8')) as TeachingBrokerState;
    const valid = state.marker === marker && Number.isInteger(state.pid) && Array.isArray(state.brokers) && state.brokers.length > 0;
    return valid ? state : undefined;
  } catch {
    return undefined;
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * The running lesson broker, or undefined. A file whose process is gone, whose broker does
 * not answer, or that does not allow the teaching session is stale: it is removed, and `say`
 * tells why in one line.
 */
export async function findTeachingBroker(say: (line: string) => void, path = teachingStatePath()): Promise<TeachingBrokerState | undefined> {
  if (!existsSync(path)) return undefined;
  const state = readState(path);
  const problem = !state ? 'not a teaching-broker file' : !alive(state.pid) ? `its process ${state.pid} is gone` : await checkBroker(state.brokers);
  if (problem === undefined) return state;
  rmSync(path, { force: true });
  say(`ignoring and removing a stale lesson-broker file (${path}): ${problem}`);
  return undefined;
}

/** Undefined when the broker answers and allows the teaching session; else what is wrong. */
async function checkBroker(brokers: string[]): Promise<string | undefined> {
  const admin = createKafka(brokers, 'kafka-offset-lab-lesson-probe', { connectionTimeout: 1000, retries: 1 }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    const node = String(cluster.brokers[0]?.nodeId ?? 1);
    const configs = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: kafkajs.ConfigResourceTypes.BROKER, name: node, configNames: ['group.min.session.timeout.ms'] }],
    });
    const minSession = Number(configs.resources[0]?.configEntries.find((e) => e.configName === 'group.min.session.timeout.ms')?.configValue);
    if (!(minSession <= teachingSessionTimeoutMs)) return `its group.min.session.timeout.ms is ${minSession}, above the teaching session (${teachingSessionTimeoutMs} ms)`;
    return undefined;
  } catch (error) {
    return `the broker at ${brokers.join(',')} does not answer (${(error as Error).message})`;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

/** The lesson broker as a run sees it: nobody's to stop, teaching settings known. */
export function connectTeachingBroker(state: TeachingBrokerState): StartedBroker {
  const stop = async () => {};
  return {
    kind: 'external',
    brokers: state.brokers,
    description: `${state.description} — the lesson broker (npm run broker, pid ${state.pid})`,
    kafkaVersion: state.kafkaVersion,
    readyMs: 0,
    disposable: false,
    teaching: true,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

/**
 * The lesson broker a run should use: with the automatic choice, the running one; with
 * KAFKA_BROKERS, only when it names the lesson broker (then its teaching settings are
 * known, and consumers keep the teaching session). Else undefined.
 */
export async function lessonBrokerFor(choice: string, env: NodeJS.ProcessEnv, say: (line: string) => void): Promise<TeachingBrokerState | undefined> {
  if (choice === 'auto') return findTeachingBroker(say);
  if (choice !== 'external' || !env.KAFKA_BROKERS) return undefined;
  const named = env.KAFKA_BROKERS.split(',').map((s) => s.trim()).filter(Boolean).sort().join(',');
  if (!existsSync(teachingStatePath())) return undefined;
  const lesson = await findTeachingBroker(say);
  return lesson && [...lesson.brokers].sort().join(',') === named ? lesson : undefined;
}
