/**
 * save-cost — does writing the checkpoint slow the consumer? (claims B3, D2)
 *
 * Not a lost/duplicated scenario: a timing measurement. For each save interval (save after
 * every 1, 10, 100, 1000 messages) and each run, one fault-free run of the ordinary runner
 * on the real broker, with one consumer per save mode, one after another (`atOnce: 1`, so
 * they do not compete for the CPU). A mode's throughput is its messages divided by the time
 * from its `joined` event to its `drained` event (process start-up and group join excluded,
 * the last save included). Each row reports the median of the runs. The numbers depend on
 * this machine's disk, CPU and load: they are timing, not counts.
 * Small intervals read fewer messages (at most `perSave` × interval): a Kafka transaction
 * per message runs at tens of messages per second, and a rate compares across counts.
 */
import { join } from 'node:path';
import type { StartedBroker } from '../broker/broker.ts';
import { perMessageKinds, readRunHistory, runHistoryFiles } from '../history/run-files.ts';
import type { RunResult } from '../runner/run-result.ts';
import { runScenario } from '../runner/run-scenario.ts';
import { defineScenario, type AnyScenario, type InstanceSpec } from '../runner/scenario.ts';
import type { Text } from '../strategies/strategy.ts';

export interface SaveMode {
  /** The row name. */
  name: string;
  what: Text;
  instance: Omit<InstanceSpec, 'name'>;
}

export const saveModes: readonly SaveMode[] = [
  { name: 'kafka-commit', what: { en: 'Kafka offset commit (manual-commit)', zh: 'Kafka 提交 offset（manual-commit）' }, instance: { strategy: 'manual-commit' } },
  { name: 'file-in-place', what: { en: 'checkpoint.json written in place', zh: '原地写 checkpoint.json' }, instance: { strategy: 'file-checkpoint', options: { write: 'in-place' } } },
  { name: 'file-atomic', what: { en: 'checkpoint.json: temp file, fsync, rename, fsync dir', zh: 'checkpoint.json：临时文件、fsync、rename、fsync 目录' }, instance: { strategy: 'file-checkpoint', options: { write: 'atomic' } } },
  { name: 'sqlite-transaction', what: { en: 'SQLite transaction, results + offsets (atomic-store)', zh: 'SQLite 事务，结果与 offset（atomic-store）' }, instance: { strategy: 'atomic-store' } },
  { name: 'kafka-transaction', what: { en: 'Kafka transaction commit, output + offsets (kafka-transactions)', zh: 'Kafka 事务提交，输出与 offset（kafka-transactions）' }, instance: { strategy: 'kafka-transactions' } },
];

export const allIntervals = [1, 10, 100, 1000] as const;
export const defaultIntervals = [1, 100] as const;

/** At most this many messages per save at an interval (interval 1: 100 messages). */
export const perSave = 100;
export const messagesAt = (interval: number, messages: number) => Math.min(messages, perSave * interval);

export interface SaveCostOptions {
  messages: number;
  runs: number;
  intervals: readonly number[];
  /** Only these modes (all by default). */
  modes?: readonly string[];
}

export interface SaveCostRow {
  mode: string;
  interval: number;
  /** Messages each run read at this interval. */
  messages: number;
  /** messages/second of each run, in run order. */
  perRun: number[];
  median: number;
}

export interface SaveCostResult {
  kind: 'save-cost';
  timing: true;
  messages: number;
  runs: number;
  intervals: number[];
  rows: SaveCostRow[];
  /** The runner's results, one per interval and run (all fault-free, 0 lost / 0 duplicated predicted). */
  runResults: Array<{ interval: number; run: number; resultsDir: string; matchesPrediction: boolean }>;
  elapsedMs: number;
}

/** The fault-free scenario for one save interval: every mode in turn, each in its own group. */
export function saveCostScenario(interval: number, messages: number, modes: readonly SaveMode[] = saveModes): AnyScenario {
  return defineScenario({
    name: 'save-cost',
    summary: { en: `throughput when saving after every ${interval} messages`, zh: `每 ${interval} 条消息保存一次时的吞吐量` },
    knobs: { messages: { default: messages }, partitions: { default: 1 }, batch: { default: interval } },
    instances: modes.map((m) => ({ name: m.name, ...m.instance }) as InstanceSpec),
    faults: () => [],
    atOnce: 1,
    predict: () => Object.fromEntries(modes.map((m) => [m.name, { lost: 0, duplicated: 0, duplicatedDeliveries: 0 }])),
    lesson: () => [],
  });
}

/** messages/second per row of one run, from its history: joined → drained of the row's only process. */
export function throughputOf(result: Pick<RunResult, 'resultsDir' | 'strategies'>): Map<string, number> {
  const events = readRunHistory(runHistoryFiles(result.resultsDir), perMessageKinds);
  const out = new Map<string, number>();
  for (const s of result.strategies) {
    const joined = events.find((e) => e.kind === 'joined' && e.strategy === s.name);
    const drained = events.find((e) => e.kind === 'drained' && e.strategy === s.name);
    if (!joined || !drained || joined.kind !== 'joined' || drained.kind !== 'drained') throw new Error(`save-cost: ${s.name} has no joined/drained times`);
    out.set(s.name, s.delivered / (Math.max(1, drained.time - joined.time) / 1000));
  }
  return out;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export async function measureSaveCost(
  options: SaveCostOptions,
  { broker, workDir, onProgress, signal }: { broker: StartedBroker; workDir: string; onProgress?: (text: string) => void; signal?: AbortSignal },
): Promise<SaveCostResult> {
  const began = performance.now();
  const modes = saveModes.filter((m) => options.modes === undefined || options.modes.includes(m.name));
  const perRun = new Map<string, number[]>();
  const runResults: SaveCostResult['runResults'] = [];
  for (let run = 1; run <= options.runs; run++) {
    for (const interval of options.intervals) {
      onProgress?.(`save-cost: every ${interval}, run ${run}/${options.runs}`);
      const scenario = saveCostScenario(interval, messagesAt(interval, options.messages), modes);
      const result = await runScenario(scenario, scenario.defaults, { broker, workDir: join(workDir, `every-${interval}-run-${run}`), ...(signal ? { signal } : {}) });
      runResults.push({ interval, run, resultsDir: result.resultsDir, matchesPrediction: result.matchesPrediction });
      if (!result.matchesPrediction) throw new Error(`save-cost: a fault-free run lost or repeated messages; see ${result.resultsDir}`);
      for (const [mode, rate] of throughputOf(result)) {
        const key = `${mode}@${interval}`;
        perRun.set(key, [...(perRun.get(key) ?? []), rate]);
      }
    }
  }
  const rows = options.intervals.flatMap((interval) =>
    modes.map((m) => {
      const rates = perRun.get(`${m.name}@${interval}`) ?? [];
      return { mode: m.name, interval, messages: messagesAt(interval, options.messages), perRun: rates.map(Math.round), median: Math.round(median(rates)) };
    }),
  );
  return { kind: 'save-cost', timing: true, messages: options.messages, runs: options.runs, intervals: [...options.intervals], rows, runResults, elapsedMs: Math.round(performance.now() - began) };
}
