/**
 * `npm run claims -- --from <folder>`: the evidence of an earlier `npm run scenario all`, read
 * back from that run's result.json files instead of being run again (a class has just watched
 * the catalogue; its verdicts take seconds, not a minute). Only save-cost, a timing, is measured.
 *
 * `all` writes each scenario's run to <results>/<scenario>/<stamp>/ and its index to
 * <results>/all/<stamp>/; any of those folders names the run. Every evidence scenario must be
 * there, run with its defaults (the verdicts are defined on them) on kafkajs (as claims runs
 * them). The fields the verdicts and the index read are checked; a file that does not fit is
 * refused with one line naming it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { findScenario } from '../../scenarios/index.ts';
import { BoundaryError, Fields, isObject, isWholeNumber, parseJson } from '../boundary/check.ts';
import type { RunResult } from '../runner/run-result.ts';
import { UserError } from '../util/errors.ts';
import { evidenceScenarios } from './verdicts.ts';

const hint = '--from takes a folder of an "npm run scenario all" run: results/all/<stamp> (or results/<scenario>/<stamp>).';

/** The evidence runs of the `all` run that `folder` names, in the verdicts' order. */
export function readEvidenceRun(folder: string): RunResult[] {
  const runFolder = resolve(folder);
  if (!existsSync(runFolder)) throw new UserError(`--from ${folder}: no such folder`, { hint });
  const stamp = basename(runFolder);
  const resultsRoot = dirname(dirname(runFolder));
  return evidenceScenarios.map((name) => {
    const dir = join(resultsRoot, name, stamp);
    const path = join(dir, 'result.json');
    if (!existsSync(path)) throw new UserError(`--from ${folder}: that run has no ${name} result (${path} is missing)`, { hint });
    try {
      return readEvidenceResult(readFileSync(path, 'utf8'), name, path, dir);
    } catch (error) {
      if (error instanceof BoundaryError) throw new UserError(`--from ${folder}: ${error.message}`, { hint });
      throw error;
    }
  });
}

/** One result.json, checked where the verdicts read it; `dir` is where it actually is now. */
export function readEvidenceResult(text: string, name: string, where: string, dir: string): RunResult {
  const value = parseJson(text, where);
  const f = Fields.of(value, where);
  const scenario = f.string('scenario');
  if (scenario !== name) f.fail('scenario', JSON.stringify(name), scenario);
  const client = f.optionalString('client') ?? 'kafkajs';
  if (client !== 'kafkajs') throw new BoundaryError(`${where}: ${name} ran on ${client}; the claims are judged on kafkajs runs, as npm run claims makes them`);
  const knobs = (value as Record<string, unknown>).knobs;
  const defaults = findScenario(name)!.defaults as Record<string, number>;
  if (!isObject(knobs) || Object.keys(defaults).some((knob) => knobs[knob] !== defaults[knob])) {
    throw new BoundaryError(`${where}: ${name} did not run with its defaults (${JSON.stringify(defaults)}, got ${JSON.stringify(knobs)}); the verdicts are defined on them, as "all" runs them`);
  }
  f.boolean('matchesPrediction');
  const rows: unknown = (value as Record<string, unknown>).strategies;
  if (!Array.isArray(rows) || rows.length === 0) f.fail('strategies', 'a non-empty array of rows', rows);
  for (const [index, row] of (rows as unknown[]).entries()) {
    const label = `strategies[${index}]`;
    if (!isObject(row)) f.fail(label, 'an object', row);
    const fields = row as Record<string, unknown>;
    if (typeof fields.name !== 'string' || fields.name === '') f.fail(`${label}.name`, 'a non-empty string', fields.name);
    for (const count of ['produced', 'lost', 'duplicated', 'duplicatedDeliveries', 'delivered']) {
      if (!isWholeNumber(fields[count])) f.fail(`${label}.${count}`, 'a whole number', fields[count]);
    }
  }
  return { ...(value as RunResult), resultsDir: dir };
}
