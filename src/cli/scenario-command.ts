import { join, relative } from 'node:path';
import { compactHistories } from '../history/compact.ts';
import { makeFolder } from '../util/make-folder.ts';
import { scenarios, findScenario } from '../../scenarios/index.ts';
import { chooseBrokerKind } from '../broker/choose.ts';
import { ensureKafkaToolsJar } from '../broker/kafka-jars.ts';
import { chooseRunBroker, openRunBroker } from '../broker/run-broker.ts';
import { colorsFor } from '../report/colors.ts';
import { detectLang } from '../report/lang.ts';
import { renderSummary } from '../report/summary.ts';
import { renderReport } from '../report/table.ts';
import { rowOfFor, runTimelines, screenWidth, writeHtmlReport, writeIndexHtml } from '../report/publish.ts';
import type { RunResult } from '../runner/run-result.ts';
import { longestFirst, type AnyScenario } from '../runner/scenario.ts';
import { runScenario } from '../runner/run-scenario.ts';
import { ExitCode, UserError, describeUserError, exitCodeForSignal, runFailure } from '../util/errors.ts';
import { resultsDir } from '../util/paths.ts';
import { inPool } from '../util/pool.ts';
import { pruneRuns } from '../util/prune.ts';
import { timestamp } from '../util/timestamp.ts';
import { Progress } from '../util/progress.ts';
import { closest, parseCli } from './args.ts';
import { unmetBrokerNeed } from './broker-needs.ts';
import { unsupportedClientReason } from '../../scenarios/client-refusals.ts';
import { pauseInPhase, writeInterruptedRecord } from './interrupted.ts';
import type { HistoryEvent } from '../history/events.ts';
import { keptLines } from './kafka-tools.ts';
import { StepMode } from './step.ts';
import { noTerminal } from './step-texts.ts';
import { listScenarios, scenarioHelp, usage } from './help.ts';
import { outcomeOf } from './outcome.ts';
import { resolveKnobs } from './resolve-knobs.ts';

export interface Io {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  /** Read only by --step (Enter goes on). */
  stdin?: NodeJS.ReadStream;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Which signal stopped the run, once `signal` is aborted (SIGTERM exits 143, Ctrl-C 130). */
  stoppedBy?: () => 'SIGINT' | 'SIGTERM' | undefined;
}

/** The scenario command: returns the exit code; throws only UserError (printed by the bin). */
export async function scenarioCommand(argv: string[], io: Io): Promise<number> {
  // Not lost/duplicated scenarios: commands of their own, reached by the same name.
  if (argv[0] === 'save-cost') return (await import('./save-cost-command.ts')).saveCostCommand(argv.slice(1), io);
  if (argv[0] === 'claims') return (await import('./claims-command.ts')).claimsCommand(argv.slice(1), io);
  const options = parseCli(argv);
  const lang = detectLang(options.lang, io.env);
  if (options.help && (options.scenario === undefined || options.scenario === 'all')) {
    io.stdout.write(`${usage(lang)}\n\nScenarios:\n${listScenarios(scenarios, lang)}\n`);
    return ExitCode.ok;
  }
  if (options.list || options.scenario === undefined) {
    io.stdout.write(`Scenarios (npm run scenario <name>):\n${listScenarios(scenarios, lang)}\n`);
    return ExitCode.ok;
  }
  const runAll = options.scenario === 'all';
  const chosen = runAll ? scenarios.slice() : [findScenario(options.scenario)].filter((s) => s !== undefined);
  if (chosen[0] === undefined) {
    const suggestion = closest(options.scenario, [...scenarios.map((s) => s.name), 'all']);
    throw new UserError(`unknown scenario "${options.scenario}".`, {
      hint: `${suggestion ? `Did you mean "${suggestion}"? ` : ''}Run with --list to see the scenarios.`,
    });
  }
  if (options.help) {
    io.stdout.write(`${scenarioHelp(chosen[0], lang)}\n`);
    return ExitCode.ok;
  }
  if (options.step && io.stdin?.isTTY !== true) throw new UserError(noTerminal.message, { hint: noTerminal.hint });
  if (runAll && Object.keys(options.knobs).length > 0) {
    throw new UserError('"all" runs every scenario with its own defaults; knob flags apply to one scenario at a time.');
  }
  const plan = chosen.map((scenario: AnyScenario) => ({ scenario, knobs: resolveKnobs(scenario, options.knobs) }));
  // A scenario whose mechanism the chosen client lacks: refused before any broker starts, skipped by all.
  const skipped = (line: string) => void (options.json ? undefined : io.stderr.write(`${line}\n`));
  dropUnrunnable(plan, runAll, skipped, (p) => {
    const reason = unsupportedClientReason(p.scenario.name, options.client, p.knobs);
    if (reason === undefined) return undefined;
    return { error: new UserError(`${p.scenario.name} cannot run on --client ${options.client}: ${reason}`), skip: `skipping ${p.scenario.name}: it cannot run on --client ${options.client} (${reason})` };
  });
  // Decided before anything is written, so "nothing usable here" comes first and alone.
  const brokerChoice = chooseBrokerKind(options.broker, io.env);
  const say = (line: string) => void io.stderr.write(`${line}\n`);
  // The lesson broker of `npm run broker`, when one runs (found without any configuration).
  const runBroker = await chooseRunBroker(brokerChoice, io.env, say);
  const brokerKind = runBroker.kind;
  if (options.keep && brokerKind !== 'external') {
    throw new UserError("--keep leaves the run's topic and groups on the broker, but this run's broker is disposable: it is deleted when the run ends.", {
      hint: 'Start a broker for the lesson with `npm run broker` in another terminal (runs find it by themselves), or use a cluster with KAFKA_BROKERS.',
    });
  }
  // Killing the broker or a node needs one the harness runs as processes of its own.
  dropUnrunnable(plan, runAll, skipped, (p) => {
    const unmet = unmetBrokerNeed(p.scenario, brokerKind);
    if (!unmet) return undefined;
    return { error: new UserError(`${unmet.reason}.`, { hint: `Run it with ${unmet.fix}.` }), skip: `skipping ${p.scenario.name}: it needs ${unmet.fix}` };
  });
  if (brokerChoice === 'auto' && brokerKind === 'container' && !options.json) {
    io.stderr.write('Docker engine found: Kafka runs in a container (--broker local for the JVM broker)\n');
  }

  const c = colorsFor(io.stdout, io.env);
  const progress = new Progress(io.stderr, { quiet: options.json });
  const step = options.step
    ? new StepMode({ input: io.stdin!, output: io.stderr, signal: io.signal, beforeStop: () => progress.done(), width: screenWidth(io.stderr, io.env) }, lang)
    : undefined;
  const stamp = timestamp();
  const workDirOf = (name: string) => join(resultsDir, name, stamp);
  const brokerDir = workDirOf(runAll ? 'all' : plan[0]!.scenario.name);
  makeFolder(brokerDir);
  const shown = (dir: string) => relative(process.cwd(), dir) || dir;
  // The folder of the scenario running now (with all, the broker's folder besides): named by every failure.
  let current = brokerDir;
  let currentScenario = runAll ? 'all' : plan[0]!.scenario.name;
  // The phase running now, for the record an interrupted run leaves (interrupted.json).
  let phaseNow = 'broker start';
  const folders = () => [...new Set([current, brokerDir])].map(shown);
  // Said first, so the files of an interrupted or crashed run can be found.
  io.stderr.write(`results: ${runAll ? join(shown(resultsDir), '<scenario>', stamp) : shown(brokerDir)}\n`);

  try {
    await step?.beforePhase('broker start');
    progress.startPhase('broker start');
    const began = performance.now();
    // Disposed (killed, container removed) when this block is left, however it is left; the lesson broker is not ours to stop.
    await using broker = await openRunBroker(runBroker, { logPath: join(brokerDir, 'broker.log'), onProgress: (text) => progress.update(text), signal: io.signal }, io.env);
    const brokerStartMs = Math.round(performance.now() - began);
    const runOne = ({ scenario, knobs }: (typeof plan)[number], index: number) => {
      current = workDirOf(scenario.name);
      currentScenario = scenario.name;
      return runScenario(scenario, knobs, {
        broker,
        client: options.client,
        workDir: current,
        brokerStartMs: index === 0 ? brokerStartMs : undefined,
        signal: io.signal,
        onPhase: async (phase) => {
          phaseNow = phase;
          const label = runAll ? `${scenario.name}: ${phase}` : phase;
          await step?.beforePhase(phase, label);
          progress.startPhase(label);
          await pauseInPhase(phase, io.env, io.signal);
        },
        onProgress: (text) => progress.update(text),
        ...(step ? { onEvent: (event: HistoryEvent) => step.event(event) } : {}),
        keep: options.keep,
      });
    };
    // Scenarios that leave the broker alone run side by side (their waits are session
    // timeouts, not CPU), the longest first; those that kill or restart it run alone, afterwards.
    const alone = (p: (typeof plan)[number]) => p.scenario.needsRestartableBroker || p.scenario.needsCluster;
    const together = longestFirst(plan.filter((p) => !alone(p)));
    const byName = new Map<string, RunResult>();
    for (const [i, result] of (await inPool(together, options.jobs, runOne)).entries()) byName.set(together[i]!.scenario.name, result);
    for (const p of plan.filter(alone)) byName.set(p.scenario.name, await runOne(p, byName.size));
    const results = plan.map((p) => byName.get(p.scenario.name)!);
    await step?.flush();
    phaseNow = 'report';
    progress.startPhase('report');
    await pauseInPhase('report', io.env, io.signal);
    progress.done();
    // Each run's history is streamed once: the screen's timeline and report.html share the fold.
    const timelines = results.map((result, i) => runTimelines(result, plan[i]!.scenario));
    const reports = results.map((result, i) => writeHtmlReport(result, plan[i]!.scenario, timelines[i]));
    if (runAll) reports.push(writeIndexHtml(join(brokerDir, 'index.html'), results, `kafka-offset-lab: all scenarios, ${stamp}`));
    if (options.json) io.stdout.write(JSON.stringify(runAll ? { scenarios: results } : results[0], null, 2) + '\n');
    else if (runAll) io.stdout.write(renderSummary(results, lang, c) + '\n');
    else {
      const [result, scenario] = [results[0]!, plan[0]!.scenario];
      io.stdout.write(renderReport(result, scenario, lang, c, { width: screenWidth(io.stdout, io.env), events: timelines[0]!, rowOf: rowOfFor(scenario) }) + '\n');
    }
    if (!options.json) io.stdout.write(c.dim(`report: ${relative(process.cwd(), reports.at(-1)!)}`) + '\n');
    // Everything that reads the histories as they are has run: a large run keeps them gzipped.
    const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
    for (const result of results) {
      const compacted = await compactHistories(result.resultsDir, io.signal ? { signal: io.signal } : {});
      if (compacted) io.stderr.write(`histories of ${shown(result.resultsDir)} gzipped: ${mb(compacted.before)} → ${mb(compacted.after)}\n`);
    }
    if (options.keep) {
      const toolsJar = await ensureKafkaToolsJar();
      for (const result of results) for (const line of keptLines(result, toolsJar, io.env)) (options.json ? io.stderr : io.stdout).write(`${line}\n`);
    }
    // A signal that came while the report was written still ends the run as interrupted.
    io.signal?.throwIfAborted();
    const outcome = outcomeOf(results, shown);
    if (outcome.failure) for (const line of describeUserError(outcome.failure)) io.stderr.write(`${line}\n`);
    return outcome.exitCode;
  } catch (error) {
    progress.done();
    if (io.signal?.aborted) {
      const by = io.stoppedBy?.() ?? 'SIGINT';
      // The broker is gone already (disposed when the try block was left); the folders keep what was measured.
      for (const folder of new Set([current, brokerDir])) {
        try {
          writeInterruptedRecord(folder, { signal: by, exitCode: exitCodeForSignal(by), phase: phaseNow, scenario: folder === current ? currentScenario : 'all' });
        } catch (error) {
          io.stderr.write(`warning: could not write ${join(shown(folder), 'interrupted.json')}: ${(error as Error).message}\n`);
        }
      }
      throw new UserError(`${by === 'SIGTERM' ? 'terminated (SIGTERM)' : 'interrupted'}; what was measured so far is in ${folders().join(' and ')}`, {
        exitCode: exitCodeForSignal(by),
      });
    }
    // A UserError stays as it is; the environment exits 3; anything else is a bug of ours (4).
    throw runFailure(error, folders());
  } finally {
    // results/ keeps the newest runs of each scenario (this one among them, also when it failed or
    // was interrupted), not every run ever made.
    try {
      for (const name of new Set([...plan.map((p) => p.scenario.name), ...(runAll ? ['all'] : [])])) pruneRuns(join(resultsDir, name), Math.max(1, options.keepRuns));
    } catch (error) {
      io.stderr.write(`warning: could not delete older runs under ${shown(resultsDir)}: ${(error as Error).message}\n`);
    }
  }
}

/**
 * A scenario that cannot run here (its client, its broker): alone it is refused with the error;
 * `all` leaves it out of the plan and says why.
 */
function dropUnrunnable<P>(plan: P[], runAll: boolean, say: (line: string) => void, problem: (p: P) => { error: UserError; skip: string } | undefined): void {
  for (const p of plan.slice()) {
    const found = problem(p);
    if (!found) continue;
    if (!runAll) throw found.error;
    plan.splice(plan.indexOf(p), 1);
    say(found.skip);
  }
}
