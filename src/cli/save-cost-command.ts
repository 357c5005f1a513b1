import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { chooseBrokerKind, resolveBrokerKind, startBroker } from '../broker/choose.ts';
import { detectLang } from '../report/lang.ts';
import { allIntervals, defaultIntervals, measureSaveCost } from '../timing/save-cost.ts';
import { renderSaveCost } from '../timing/save-cost-table.ts';
import { ExitCode, UserError, runFailure } from '../util/errors.ts';
import { resultsDir } from '../util/paths.ts';
import { Progress } from '../util/progress.ts';
import { newRunFolder } from '../util/prune.ts';
import type { Io } from './scenario-command.ts';

export const saveCostUsage = `Usage: npm run scenario save-cost -- [--messages N] [--runs R] [--all-intervals] [--broker local] [--lang en|zh] [--json]

Throughput (messages/second) of each way of saving the position — Kafka commit, checkpoint.json
in place, checkpoint.json atomically (fsync + rename), SQLite transaction, Kafka transaction —
when saving after every ${defaultIntervals.join(' and ')} messages (--all-intervals: ${allIntervals.join(', ')}).
Medians of R runs; timings, not counts. Defaults: --messages 1000 --runs 3.`;

export function parseWhole(flag: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || value < min || value > max) throw new UserError(`--${flag} must be a whole number from ${min} to ${max}, got "${raw}"`);
  return value;
}

/** `npm run scenario save-cost`: a timing measurement with its own table and knobs. */
export async function saveCostCommand(argv: string[], io: Io): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: { messages: { type: 'string' }, runs: { type: 'string' }, 'all-intervals': { type: 'boolean' }, broker: { type: 'string' }, lang: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (error) {
    throw new UserError((error as Error).message.split('\n')[0]!, { hint: 'npm run scenario save-cost -- --help lists its options.' });
  }
  if (values.help) {
    io.stdout.write(`${saveCostUsage}\n`);
    return ExitCode.ok;
  }
  if (values.lang !== undefined && values.lang !== 'en' && values.lang !== 'zh') throw new UserError(`--lang must be en or zh, got "${values.lang}"`);
  const lang = detectLang(values.lang, io.env);
  const options = {
    messages: parseWhole('messages', values.messages, 1000, 1, 1_000_000),
    runs: parseWhole('runs', values.runs, 3, 1, 50),
    intervals: values['all-intervals'] ? allIntervals : defaultIntervals,
  };
  const kind = await resolveBrokerKind(chooseBrokerKind(values.broker, io.env), io.env, undefined, (line) => void io.stderr.write(`${line}\n`));
  const dir = newRunFolder(join(resultsDir, 'save-cost'));
  io.stderr.write(`results: ${relative(process.cwd(), dir)}\n`);
  const progress = new Progress(io.stderr, { quiet: values.json === true });
  try {
    progress.startPhase('broker start');
    await using broker = await startBroker(kind, { logPath: join(dir, 'broker.log'), onProgress: (t) => progress.update(t), signal: io.signal }, io.env);
    progress.startPhase('measure');
    const result = await measureSaveCost(options, { broker, workDir: dir, onProgress: (t) => progress.update(t), ...(io.signal ? { signal: io.signal } : {}) });
    progress.done();
    writeFileSync(join(dir, 'save-cost.json'), JSON.stringify(result, null, 2) + '\n');
    io.stdout.write(values.json ? JSON.stringify(result, null, 2) + '\n' : `${renderSaveCost(result, lang)}\n`);
    return ExitCode.ok;
  } catch (error) {
    progress.done();
    if (io.signal?.aborted) throw new UserError(`interrupted; what was measured so far is in ${relative(process.cwd(), dir)}`, { exitCode: ExitCode.interrupted });
    throw runFailure(error, [relative(process.cwd(), dir)]);
  }
}
