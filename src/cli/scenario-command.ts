import { join, relative } from 'node:path';
import { mkdirSync } from 'node:fs';
import { scenarios, findScenario } from '../../scenarios/index.ts';
import { chooseBrokerKind, resolveBrokerKind, startBroker } from '../broker/choose.ts';
import { colorsFor } from '../report/colors.ts';
import { detectLang } from '../report/lang.ts';
import { renderSummary } from '../report/summary.ts';
import { renderReport } from '../report/table.ts';
import { rowOfFor, runHistory, screenWidth, writeHtmlReport, writeIndexHtml } from '../report/publish.ts';
import type { RunResult } from '../runner/run-result.ts';
import type { ScenarioDefinition } from '../runner/scenario.ts';
import { runScenario } from '../runner/run-scenario.ts';
import { ExitCode, UserError, errorMessage } from '../util/errors.ts';
import { resultsDir } from '../util/paths.ts';
import { timestamp } from '../util/timestamp.ts';
import { Progress } from '../util/progress.ts';
import { closest, parseCli, validateKnobs } from './args.ts';

export const usage = `Usage: npm run scenario -- <name|all> [options]

Runs a scenario on a real Kafka broker and prints, per consumer strategy, how many
messages were lost and how many were processed twice.

Options:
  --list                 list the scenarios
  --json                 print only the result JSON on stdout
  --lang en|zh           language of the lesson (default: from LANG, else en)
  --broker container|local|external
                         where Kafka comes from (default: external if KAFKA_BROKERS is set,
                         else a container if a Docker engine answers, else the local JVM broker)
  --messages N           messages to produce
  --partitions P         partitions of the topic
  --batch B              strategies save their position after every B processed messages
  --crash-after K        the crash comes K messages into the crash batch (1..B)
  --crash-batch C        the crash happens in batch number C
  -h, --help             this help

Environment:
  KAFKA_BROKERS=host:port,...  use an existing cluster (nothing is started or stopped)
  KAFKA_BROKER=container|local|external  the same as --broker
  KAFKA_IMAGE=name:tag         the Kafka image for --broker container (default apache/kafka:<version>)
  NO_COLOR=1                   no colours

Exit codes: 0 counts as predicted, 1 a count differs from the prediction,
2 bad command line, 3 environment problem (Java, Maven, Docker or image, broker), 130 interrupted.`;

export function listScenarios(lang: 'en' | 'zh'): string {
  const width = Math.max(...scenarios.map((s) => s.name.length));
  const all = lang === 'zh' ? '依次运行全部场景，打印一张汇总表' : 'run every scenario in turn and print one summary table';
  return [...scenarios.map((s) => `  ${s.name.padEnd(width)}  ${s.summary[lang]}`), `  ${'all'.padEnd(width)}  ${all}`].join('\n');
}

export interface Io {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

/** The scenario command: returns the exit code; throws only UserError (printed by the bin). */
export async function scenarioCommand(argv: string[], io: Io): Promise<number> {
  const options = parseCli(argv);
  const lang = detectLang(options.lang, io.env);
  if (options.help) {
    io.stdout.write(`${usage}\n\nScenarios:\n${listScenarios(lang)}\n`);
    return ExitCode.ok;
  }
  if (options.list || options.scenario === undefined) {
    io.stdout.write(`Scenarios (npm run scenario <name>):\n${listScenarios(lang)}\n`);
    return ExitCode.ok;
  }
  const runAll = options.scenario === 'all';
  const chosen = runAll ? [...scenarios] : [findScenario(options.scenario)];
  if (chosen[0] === undefined) {
    const suggestion = closest(options.scenario, [...scenarios.map((s) => s.name), 'all']);
    throw new UserError(`unknown scenario "${options.scenario}".`, {
      hint: `${suggestion ? `Did you mean "${suggestion}"? ` : ''}Run with --list to see the scenarios.`,
    });
  }
  if (runAll && Object.keys(options.knobs).length > 0) {
    throw new UserError('"all" runs every scenario with its own defaults; knob flags apply to one scenario at a time.');
  }
  const plan = (chosen as ScenarioDefinition[]).map((scenario) => {
    const knobs = validateKnobs({ ...scenario.defaults, ...options.knobs });
    const problem = scenario.validate?.(knobs);
    if (problem) throw new UserError(problem);
    return { scenario, knobs };
  });
  // Decided before anything is written, so "nothing usable here" comes first and alone.
  const brokerChoice = chooseBrokerKind(options.broker, io.env);
  const brokerKind = await resolveBrokerKind(brokerChoice, io.env);
  // Restarting the broker needs one the harness runs as a process of its own.
  if (brokerKind !== 'local') {
    const needy = plan.filter((p) => p.scenario.needsRestartableBroker);
    if (!runAll && needy.length > 0) {
      throw new UserError(`${needy[0]!.scenario.name} kills and restarts the broker: it runs only on the local JVM broker.`, { hint: 'Run it with --broker local.' });
    }
    for (const p of needy) {
      plan.splice(plan.indexOf(p), 1);
      if (!options.json) io.stderr.write(`skipping ${p.scenario.name}: it restarts the broker, which needs --broker local\n`);
    }
  }
  if (brokerChoice === 'auto' && brokerKind === 'container' && !options.json) {
    io.stderr.write('Docker engine found: Kafka runs in a container (--broker local for the JVM broker)\n');
  }

  const c = colorsFor(io.stdout, io.env);
  const progress = new Progress(io.stderr, { quiet: options.json });
  const stamp = timestamp();
  const workDirOf = (name: string) => join(resultsDir, name, stamp);
  const brokerDir = workDirOf(runAll ? 'all' : plan[0]!.scenario.name);
  mkdirSync(brokerDir, { recursive: true });
  // Said first, so the files of an interrupted or crashed run can be found.
  io.stderr.write(`results: ${runAll ? join(relative(process.cwd(), resultsDir), '<scenario>', stamp) : relative(process.cwd(), brokerDir) || brokerDir}\n`);

  try {
    progress.startPhase('broker start');
    const began = performance.now();
    // Disposed (killed, container removed) when this block is left, however it is left.
    await using broker = await startBroker(
      brokerKind,
      { logPath: join(brokerDir, 'broker.log'), onProgress: (text) => progress.update(text), signal: io.signal },
      io.env,
    );
    const brokerStartMs = Math.round(performance.now() - began);
    const results: RunResult[] = [];
    for (const { scenario, knobs } of plan) {
      results.push(
        await runScenario(scenario, knobs, {
          broker,
          workDir: workDirOf(scenario.name),
          brokerStartMs: results.length === 0 ? brokerStartMs : undefined,
          signal: io.signal,
          onPhase: (phase) => progress.startPhase(runAll ? `${scenario.name}: ${phase}` : phase),
          onProgress: (text) => progress.update(text),
        }),
      );
    }
    progress.done();
    const reports = results.map((result, i) => writeHtmlReport(result, plan[i]!.scenario));
    if (runAll) reports.push(writeIndexHtml(join(brokerDir, 'index.html'), results, `kafka-offset-lab: all scenarios, ${stamp}`));
    if (options.json) io.stdout.write(JSON.stringify(runAll ? { scenarios: results } : results[0], null, 2) + '\n');
    else if (runAll) io.stdout.write(renderSummary(results, lang, c) + '\n');
    else {
      const [result, scenario] = [results[0]!, plan[0]!.scenario];
      io.stdout.write(renderReport(result, scenario, lang, c, { width: screenWidth(io.stdout, io.env), events: runHistory(result), rowOf: rowOfFor(scenario) }) + '\n');
    }
    if (!options.json) io.stdout.write(c.dim(`report: ${relative(process.cwd(), reports.at(-1)!)}`) + '\n');
    if (results.some((r) => r.verdict === 'unknown')) return ExitCode.unexpectedCounts;
    return results.every((r) => r.matchesPrediction) ? ExitCode.ok : ExitCode.unexpectedCounts;
  } catch (error) {
    progress.done();
    if (io.signal?.aborted) throw new UserError(`interrupted; what was measured so far is in ${relative(process.cwd(), resultsDir)}`, { exitCode: ExitCode.interrupted });
    if (error instanceof UserError) throw error;
    throw new UserError(`the run failed: ${errorMessage(error)}`, {
      hint: `Files of this run, logs included: ${relative(process.cwd(), resultsDir)}/<scenario>/${stamp}`,
      exitCode: ExitCode.environment,
      cause: error,
    });
  }
}
