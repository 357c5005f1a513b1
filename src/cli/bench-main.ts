#!/usr/bin/env node
/**
 * npm run bench [-- --runs N --messages N --scale]: one broker, and side by side the figures of
 * issue "fast and large": the consumer loop against raw kafkajs (ratio), crash-mid-batch cold and
 * against a running broker (with the phase breakdown), the checker's events per second on a
 * synthetic history, peak resident memory per kind of process; --scale adds the million-message
 * crash-mid-batch, --all the whole catalogue (`npm run scenario all`, three at a time) against the
 * running broker. Prints a table and writes results/bench/<timestamp>/bench.json.
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import Table from 'cli-table3';
import { startBroker } from '../broker/choose.ts';
import { checkerRates, cliRun, median, throughputPairs } from '../bench/measure.ts';
import { RssSampler } from '../bench/rss-sampler.ts';
import { teachingSessionTimeoutMs } from '../kafka/client.ts';
import type { RunResult } from '../runner/run-result.ts';
import { resultsDir } from '../util/paths.ts';
import { newRunFolder } from '../util/prune.ts';

const usage = `Usage: npm run bench -- [options]

Starts one local broker and prints the lab's speed and memory figures (README, "Timings").

Options:
  --runs N       runs of each figure, medians printed (default 3)
  --messages N   messages of the consumer loop vs raw kafkajs pairs (default 100000, at least 1000)
  --scale        also crash-mid-batch with 1 000 000 messages
  --all          also \`npm run scenario all\` against the running broker
  -h, --help     this help
`;
let values: { runs?: string; messages?: string; scale?: boolean; all?: boolean; help?: boolean };
try {
  ({ values } = parseArgs({ options: { runs: { type: 'string' }, messages: { type: 'string' }, scale: { type: 'boolean' }, all: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } }));
} catch (error) {
  process.stderr.write(`error: ${(error as Error).message}\nnpm run bench -- --help lists its options.\n`);
  process.exit(2);
}
if (values.help) {
  process.stdout.write(usage);
  process.exit(0);
}
const runs = Number(values.runs ?? 3);
const messages = Number(values.messages ?? 100_000);
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(messages) || messages < 1000) {
  process.stderr.write('error: --runs must be a whole number ≥ 1 and --messages a whole number ≥ 1000\n');
  process.exit(2);
}
const dir = newRunFolder(join(resultsDir, 'bench'));
const say = (line: string) => process.stderr.write(`${line}\n`);
const sampler = new RssSampler().start();
// The runs choose their broker from these alone, whatever the caller's shell exports.
const { KAFKA_BROKERS: _ignored, ...inherited } = process.env;
const env: NodeJS.ProcessEnv = { ...inherited, KAFKA_BROKER: 'local' };

say(`checker on a synthetic history (${runs} runs)…`);
const checker = checkerRates(runs);
say(`crash-mid-batch, broker started by the run (${runs} runs)…`);
const cold: Array<Awaited<ReturnType<typeof cliRun>>> = [];
for (let i = 0; i < runs; i++) cold.push(await cliRun(['crash-mid-batch', '--broker', 'local'], env));

await using broker = await startBroker('local', { logPath: join(dir, 'broker.log') });
// A broker that outlives the runs, with the teaching session, as the lesson broker (npm run broker) gives it.
const warmEnv = { ...env, KAFKA_BROKER: 'external', KAFKA_BROKERS: broker.brokers.join(','), KAFKA_SESSION_TIMEOUT_MS: String(teachingSessionTimeoutMs) };
say(`crash-mid-batch against a running broker (${runs} runs)…`);
const warm: Array<Awaited<ReturnType<typeof cliRun>>> = [];
for (let i = 0; i < runs; i++) warm.push(await cliRun(['crash-mid-batch'], warmEnv));
say(`consumer loop vs raw kafkajs, ${messages} messages (${runs} pairs)…`);
const pairs = await throughputPairs(broker, { messages, runs, resultsRoot: dir });
let scale: { wallMs: number; matchesPrediction: boolean; counts: string } | undefined;
if (values.scale) {
  say('crash-mid-batch with 1 000 000 messages against the running broker…');
  const { wallMs, result } = await cliRun(['crash-mid-batch', '--messages', '1000000', '--batch', '1000', '--crash-batch', '500', '--crash-after', '500'], warmEnv);
  scale = { wallMs, matchesPrediction: result.matchesPrediction, counts: result.strategies.map((s) => `${s.name} ${s.lost}/${s.duplicated}`).join(', ') };
}
let catalogue: { wallMs: number[]; medianMs: number; scenarios: number } | undefined;
if (values.all) {
  say(`npm run scenario all against the running broker, three at a time (${runs} runs)…`);
  const walls: number[] = [];
  let scenarios = 0;
  for (let i = 0; i < runs; i++) {
    const { wallMs, result } = await cliRun(['all'], warmEnv); // exits non-zero (and throws) when a count differs
    walls.push(wallMs);
    scenarios = (result as unknown as { scenarios: RunResult[] }).scenarios.length;
  }
  catalogue = { wallMs: walls, medianMs: median(walls), scenarios };
}
const peaks = sampler.stop();

const phases = (list: typeof cold) => Object.fromEntries(Object.keys(list[0]!.result.timings).map((phase) => [phase, median(list.map((r) => (r.result.timings as Record<string, number>)[phase] ?? 0))]));
const figures = {
  machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
  runs,
  loopVsRawKafkajs: { messages, pairs, medianRatio: median(pairs.map((p) => p.ratio)), goal: '≥ 0.8' },
  crashMidBatchCold: { wallMs: cold.map((r) => r.wallMs), medianMs: median(cold.map((r) => r.wallMs)), phasesMs: phases(cold), goal: '≤ 6 s' },
  crashMidBatchRunningBroker: { wallMs: warm.map((r) => r.wallMs), medianMs: median(warm.map((r) => r.wallMs)), phasesMs: phases(warm), goal: '≤ 3.5 s' },
  checker: { events: checker[0]!.events, perSecond: checker.map((c) => c.perSecond), median: median(checker.map((c) => c.perSecond)), goal: '≥ 2 M/s' },
  peakRssMiB: Object.fromEntries([...peaks].map(([kind, kib]) => [kind, Math.round(kib / 1024)])),
  ...(scale ? { millionMessages: { ...scale, goal: '≤ 60 s, ≤ 1 GB per process' } } : {}),
  ...(catalogue ? { scenarioAll: { ...catalogue, goal: '≤ 25 s' } } : {}),
};
writeFileSync(join(dir, 'bench.json'), JSON.stringify(figures, null, 2) + '\n');

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const table = new Table({ head: ['figure', 'median', 'runs (min–max)', 'goal'], style: { head: [], border: [] } });
const range = (xs: number[], f: (x: number) => string) => `${f(Math.min(...xs))} – ${f(Math.max(...xs))}`;
table.push(
  ['consumer loop / raw kafkajs (msg/s ratio)', figures.loopVsRawKafkajs.medianRatio.toFixed(2), range(pairs.map((p) => p.ratio), (x) => x.toFixed(2)), '≥ 0.8'],
  ['  harness loop msg/s', Math.round(median(pairs.map((p) => p.harness))).toLocaleString('en'), range(pairs.map((p) => p.harness), (x) => Math.round(x).toLocaleString('en')), ''],
  ['  raw kafkajs msg/s', Math.round(median(pairs.map((p) => p.raw))).toLocaleString('en'), range(pairs.map((p) => p.raw), (x) => Math.round(x).toLocaleString('en')), ''],
  ['crash-mid-batch, cold', s(figures.crashMidBatchCold.medianMs), range(cold.map((r) => r.wallMs), s), '≤ 6 s'],
  ['crash-mid-batch, running broker', s(figures.crashMidBatchRunningBroker.medianMs), range(warm.map((r) => r.wallMs), s), '≤ 3.5 s'],
  [`checker, ${(figures.checker.events / 1e6).toFixed(1)} M events (events/s)`, `${(figures.checker.median / 1e6).toFixed(2)} M`, range(figures.checker.perSecond, (x) => `${(x / 1e6).toFixed(2)} M`), '≥ 2 M/s'],
  ...(scale ? [['crash-mid-batch, 1 000 000 messages', s(scale.wallMs), scale.matchesPrediction ? 'counts as predicted' : 'COUNTS DIFFER', '≤ 60 s']] : []),
  ...(catalogue ? [[`scenario all (${catalogue.scenarios} scenarios, 3 at a time)`, s(catalogue.medianMs), range(catalogue.wallMs, s), '≤ 25 s']] : []),
);
process.stdout.write(`${table.toString()}\n`);
process.stdout.write(`cold phases (median): ${Object.entries(figures.crashMidBatchCold.phasesMs).map(([p, ms]) => `${p} ${s(ms)}`).join(' · ')}\n`);
process.stdout.write(`running-broker phases (median): ${Object.entries(figures.crashMidBatchRunningBroker.phasesMs).map(([p, ms]) => `${p} ${s(ms)}`).join(' · ')}\n`);
process.stdout.write(`peak RSS (MiB) by process: ${Object.entries(figures.peakRssMiB).map(([k, v]) => `${k} ${v}`).join(' · ')}\n`);
process.stdout.write(`machine: ${figures.machine.cpus} × ${figures.machine.model}, Node ${figures.machine.node}\nfigures: ${relative(process.cwd(), join(dir, 'bench.json'))}\n`);
