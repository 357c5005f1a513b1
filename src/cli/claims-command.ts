import { writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { findScenario } from '../../scenarios/index.ts';
import { describeBroker } from '../broker/broker.ts';
import { chooseBrokerKind } from '../broker/choose.ts';
import { chooseRunBroker, openRunBroker } from '../broker/run-broker.ts';
import { claimsMarkdown, renderClaims } from '../claims/render.ts';
import { readEvidenceRun } from '../claims/from-run.ts';
import { runClaims } from '../claims/run-claims.ts';
import { detectLang } from '../report/lang.ts';
import { screenWidth, writeHtmlReport, writeIndexHtml } from '../report/publish.ts';
import { defaultIntervals } from '../timing/save-cost.ts';
import { ExitCode, UserError, runFailure } from '../util/errors.ts';
import { resultsDir } from '../util/paths.ts';
import { Progress } from '../util/progress.ts';
import { newRunFolder } from '../util/prune.ts';
import { parseWhole } from './save-cost-command.ts';
import type { Io } from './scenario-command.ts';

export const claimsUsage = `Usage: npm run claims -- [--lang en|zh] [--broker local] [--runs R] [--jobs J] [--from FOLDER] [--json]

Runs, on one broker, every scenario that is evidence for a claim of the original answer (J at
a time, default 3), and then save-cost alone (R runs, default 3), then prints each claim (English and the original Chinese) with
its verdict — holds / does not hold / holds only when … — derived from this run's numbers,
and the evidence. Writes results/claims/<timestamp>/claims.json, claims.md and index.html.

--from FOLDER takes the evidence from an earlier "npm run scenario all" run instead of running
it again (FOLDER: results/all/<stamp>, or any results/<scenario>/<stamp> of that run; every
evidence scenario with its defaults, on kafkajs); only save-cost is measured.`;

/** `npm run claims` (also `npm run scenario claims`). */
export async function claimsCommand(argv: string[], io: Io): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: { lang: { type: 'string' }, broker: { type: 'string' }, runs: { type: 'string' }, jobs: { type: 'string' }, from: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (error) {
    throw new UserError((error as Error).message.split('\n')[0]!, { hint: 'npm run claims -- --help lists its options.' });
  }
  if (values.help) {
    io.stdout.write(`${claimsUsage}\n`);
    return ExitCode.ok;
  }
  if (values.lang !== undefined && values.lang !== 'en' && values.lang !== 'zh') throw new UserError(`--lang must be en or zh, got "${values.lang}"`);
  const lang = detectLang(values.lang, io.env);
  const runs = parseWhole('runs', values.runs, 3, 1, 50);
  const jobs = parseWhole('jobs', values.jobs, 3, 1, 16);
  // Read (and refused, if it does not fit) before any broker starts.
  const evidence = values.from === undefined ? undefined : readEvidenceRun(values.from);
  const choice = chooseBrokerKind(values.broker, io.env);
  const say = (line: string) => void io.stderr.write(`${line}\n`);
  // The lesson broker of `npm run broker`, when one runs, as `npm run scenario` finds it.
  const runBroker = await chooseRunBroker(choice, io.env, say);
  const dir = newRunFolder(join(resultsDir, 'claims'));
  const stamp = basename(dir);
  const shown = relative(process.cwd(), dir) || dir;
  io.stderr.write(`results: ${shown}\n`);
  const progress = new Progress(io.stderr, { quiet: values.json === true });
  try {
    progress.startPhase('broker start');
    await using broker = await openRunBroker(runBroker, { logPath: join(dir, 'broker.log'), onProgress: (t) => progress.update(t), signal: io.signal }, io.env);
    progress.startPhase('claims');
    const run = await runClaims({
      broker,
      workDir: dir,
      saveCost: { messages: 1000, runs, intervals: defaultIntervals },
      jobs,
      ...(evidence ? { evidence } : {}),
      onProgress: (t) => progress.update(t),
      ...(io.signal ? { signal: io.signal } : {}),
    });
    progress.done();
    // An earlier run's reports are in its own folders already.
    if (!evidence) for (const result of run.results) writeHtmlReport(result, findScenario(result.scenario)!);
    writeIndexHtml(join(dir, 'index.html'), run.results, `kafka-offset-lab: the claims, ${stamp}`);
    const json = {
      kind: 'claims',
      time: stamp,
      broker: describeBroker(broker),
      ...(values.from !== undefined ? { evidenceFrom: values.from } : {}),
      elapsedMs: run.elapsedMs,
      verdicts: run.verdicts,
      scenarios: run.results.map((r) => ({ scenario: r.scenario, knobs: r.knobs, matchesPrediction: r.matchesPrediction, resultsDir: relative(dir, r.resultsDir), strategies: r.strategies.map((s) => ({ name: s.name, lost: s.lost, duplicated: s.duplicated, duplicatedDeliveries: s.duplicatedDeliveries, produced: s.produced })) })),
      saveCost: run.saveCost,
    };
    writeFileSync(join(dir, 'claims.json'), JSON.stringify(json, null, 2) + '\n');
    const notes = [
      `run ${stamp} on ${describeBroker(broker).description}; ${Math.round(run.elapsedMs / 1000)} s`,
      evidence
        ? `every verdict is computed from the numbers below: the scenarios measured in the run ${values.from}, save-cost in this one (src/claims/verdicts-*.ts)`
        : 'every verdict is computed from the numbers below, measured in this run (src/claims/verdicts-*.ts)',
      'save-cost numbers are timings: they depend on the machine and change from run to run',
    ];
    writeFileSync(join(dir, 'claims.md'), claimsMarkdown(run.verdicts, { title: 'The claims, judged by a run of kafka-offset-lab', notes }));
    if (values.json) io.stdout.write(JSON.stringify(json, null, 2) + '\n');
    else io.stdout.write(`${renderClaims(run.verdicts, lang, screenWidth(io.stdout, io.env))}\n\n${notes.join('\n')}\nclaims: ${join(shown, 'claims.md')} · index: ${join(shown, 'index.html')}\n`);
    const unpredicted = run.results.filter((r) => !r.matchesPrediction).map((r) => r.scenario);
    if (unpredicted.length > 0) io.stderr.write(`warning: counts differ from the prediction in ${unpredicted.join(', ')}; the verdicts use the measured numbers\n`);
    return unpredicted.length > 0 ? ExitCode.unexpectedCounts : ExitCode.ok;
  } catch (error) {
    progress.done();
    if (io.signal?.aborted) throw new UserError(`interrupted; what was measured so far is in ${shown}`, { exitCode: ExitCode.interrupted });
    throw runFailure(error, [shown]);
  }
}
