import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { forEachRunEvent, runHistoryFiles } from '../history/run-files.ts';
import type { RunResult } from '../runner/run-result.ts';
import { instanceSpecs, rowName, type AnyScenario } from '../runner/scenario.ts';
import { renderHtmlReport, renderIndexHtml } from './html.ts';
import { FoldedTimelines, TimelineFold, type TimelineSource } from './offset-history.ts';

/**
 * Where the report meets the files of a run: the screen's width, the recorded history, and
 * the HTML pages written next to result.json.
 */

/** The terminal's columns; when stdout is not a terminal, COLUMNS if set, else 100. */
export function screenWidth(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): number {
  if (stream.isTTY === true && stream.columns > 0) return stream.columns;
  const fromEnv = Number.parseInt(env.COLUMNS ?? '', 10);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 100;
}

/**
 * The run's timelines, folded in one streaming pass over its history files (nothing when the
 * run left none): the screen and report.html draw from the same fold.
 */
export function runTimelines(result: RunResult, scenario: AnyScenario): FoldedTimelines {
  const rowOf = rowOfFor(scenario);
  const fold = new TimelineFold(result, rowOf);
  forEachRunEvent(runHistoryFiles(result.resultsDir, instanceSpecs(scenario).map((spec) => spec.name)), (e) => fold.add(e));
  return new FoldedTimelines(fold.finish());
}

/** Instance → its table row, from the scenario (rows of a group hold several instances). */
export function rowOfFor(scenario: AnyScenario): (instance: string) => string {
  const rows = new Map(instanceSpecs(scenario).map((spec) => [spec.name, rowName(spec)]));
  return (instance) => rows.get(instance) ?? instance;
}

/** Writes <run folder>/report.html; returns its path. */
export function writeHtmlReport(result: RunResult, scenario: AnyScenario, events: TimelineSource = runTimelines(result, scenario)): string {
  const path = join(result.resultsDir, 'report.html');
  writeFileSync(path, renderHtmlReport({ result, scenario, events, rowOf: rowOfFor(scenario) }));
  return path;
}

/** Writes the index page of several runs (scenario all) at `path`, linking each run's report.html. */
export function writeIndexHtml(path: string, results: readonly RunResult[], title: string): string {
  mkdirSync(dirname(path), { recursive: true });
  const entries = results.map((result) => ({ result, href: relative(dirname(path), join(result.resultsDir, 'report.html')).split('\\').join('/') }));
  writeFileSync(path, renderIndexHtml(entries, title));
  return path;
}
