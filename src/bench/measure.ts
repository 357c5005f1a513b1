import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StartedBroker } from '../broker/broker.ts';
import { check } from '../checker/check.ts';
import { perMessageKinds, readRunHistory, runHistoryFiles } from '../history/run-files.ts';
import { runScenario } from '../runner/run-scenario.ts';
import { defineScenario } from '../runner/scenario.ts';
import type { RunResult } from '../runner/run-result.ts';
import { repoRoot } from '../util/paths.ts';
import { syntheticHistory } from './synthetic-history.ts';

export const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** One consumer, no fault: the harness's consumer loop at full speed (auto-commit, work awaited). */
const throughputScenario = defineScenario({
  name: 'bench-throughput',
  summary: { en: 'one consumer, no fault', zh: '一个消费者，没有故障' },
  knobs: { messages: { default: 100_000 }, partitions: { default: 1 }, batch: { default: 1000 } },
  instances: ['auto-commit'],
  faults: () => [],
  predict: () => ({ 'auto-commit': { lost: 0, duplicated: 0 } }),
  lesson: () => [],
});

/** Messages per second from the group join to the drain, read from the run's history. */
function harnessRate(result: RunResult): number {
  const events = readRunHistory(runHistoryFiles(result.resultsDir), perMessageKinds);
  const joined = events.find((e) => e.kind === 'joined')!.time;
  const drained = events.find((e) => e.kind === 'drained')!.time;
  return result.strategies[0]!.processed / ((drained - joined) / 1000);
}

/** The raw kafkajs consumer on the topic the harness run just produced (a fresh group). */
async function rawRate(broker: StartedBroker, topic: string, messages: number, workDir: string): Promise<number> {
  const entry = fileURLToPath(new URL('./raw-consumer.ts', import.meta.url));
  const child = spawn(process.execPath, [entry, broker.brokers.join(','), topic, `kol-bench-raw-${Date.now()}`, join(workDir, 'raw-sink.jsonl'), String(messages)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`the raw kafkajs consumer exited with code ${code}`);
  const { messages: seen, ms } = JSON.parse(out) as { messages: number; ms: number };
  return seen / (ms / 1000);
}

/** Harness loop vs raw kafkajs on the same data, pair by pair. */
export async function throughputPairs(broker: StartedBroker, { messages, runs, resultsRoot }: { messages: number; runs: number; resultsRoot: string }) {
  const pairs: Array<{ harness: number; raw: number; ratio: number }> = [];
  for (let i = 0; i < runs; i++) {
    const result = await runScenario(throughputScenario, { ...throughputScenario.defaults, messages }, { broker, resultsRoot });
    const harness = harnessRate(result);
    const raw = await rawRate(broker, result.topic, messages, result.resultsDir);
    pairs.push({ harness, raw, ratio: harness / raw });
  }
  return pairs;
}

/** One whole `npm run scenario crash-mid-batch --json` as a user runs it: wall time and phase timings. */
export async function cliRun(args: string[], env: NodeJS.ProcessEnv): Promise<{ wallMs: number; result: RunResult }> {
  const began = performance.now();
  const child = spawn(process.execPath, [join(repoRoot, 'src/cli/scenario-main.ts'), ...args, '--json'], { env, stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const wallMs = performance.now() - began;
  if (code !== 0) throw new Error(`npm run scenario ${args.join(' ')} exited with code ${code}`);
  return { wallMs, result: JSON.parse(out) as RunResult };
}

/** The checker's speed on a synthetic history of about `events` events (1 M produced, two rows). */
export function checkerRates(runs: number): Array<{ events: number; perSecond: number }> {
  const history = syntheticHistory({ messages: 1_000_000, partitions: 4, rows: 2, batch: 1000, crashAt: 500_500 });
  const claims = { 'row-0': 'at-least-once', 'row-1': 'at-least-once' } as const;
  const rates: Array<{ events: number; perSecond: number }> = [];
  for (let i = 0; i < runs; i++) {
    const began = performance.now();
    check({ claims, events: history, logStartOffsets: { 0: 0, 1: 0, 2: 0, 3: 0 }, endOffsets: { 0: 250_000, 1: 250_000, 2: 250_000, 3: 250_000 } });
    rates.push({ events: history.length, perSecond: history.length / ((performance.now() - began) / 1000) });
  }
  return rates;
}
