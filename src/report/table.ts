import Table from 'cli-table3';
import type { ChalkInstance } from 'chalk';
import type { TimelineSource } from './offset-history.ts';
import type { RunResult, StrategyResult } from '../runner/run-result.ts';
import { formatPrediction, type AnyScenario } from '../runner/scenario.ts';
import { kafkaViewLines, kafkaViewTitle } from './kafka-view.ts';
import { guaranteeLabel, labels, phaseLabels } from './labels.ts';
import type { Lang } from './lang.ts';
import { renderTimeline } from './timeline.ts';
import { displayWidth, nbsp, wrapText } from './wrap.ts';

export interface ReportOptions {
  /** Columns of the screen; no line is wider (default 100). */
  width?: number;
  /** The run's history (or its timelines, folded): when given, the offset timeline is drawn under the table. */
  events?: TimelineSource;
  /** Instance → table row, for rows made of several instances (default: "row" or "row#n"). */
  rowOf?: (instance: string) => string;
}

/** The screen a class sees: the table, the offset timeline, the lesson, the timings. */
export function renderReport(result: RunResult, scenario: AnyScenario, lang: Lang, c: ChalkInstance, options: ReportOptions = {}): string {
  const width = Math.max(20, options.width ?? 100);
  const t = labels[lang];
  const wrap = (text: string, style: (s: string) => string = (s) => s, first = '', rest = '') =>
    wrapText(text, width, { firstPrefix: first, restPrefix: rest }).map((line) => style(line));

  const lines: string[] = [];
  lines.push(...wrap(`${scenario.name} — ${scenario.summary[lang]}`, c.bold));
  lines.push(...wrap(`${t.broker}: ${result.broker.description}`));
  const crashes = [...new Set(result.strategies.map((s) => (s.crashPlan ? `${s.crashPlan.point} @ ${s.crashPlan.atProcessed}` : '—')))];
  lines.push(...wrap(`${t.crash}: ${crashes.join(', ')}`));
  for (const fault of result.faults) lines.push(...wrap(`${t.fault}: ${fault}`, undefined, '', '  '));
  lines.push(renderTable(result.strategies, lang, c, width));
  for (const problem of [...result.problems, ...result.strategies.flatMap((s) => s.problems.map((p) => `${s.name}: ${p}`))]) {
    lines.push(...wrap(problem, c.yellow, '! ', '  '));
  }
  if (result.strategies.some((s) => s.unplannedRebalances > 0)) lines.push(...wrap(t.rebalance, c.yellow, '! ', '  '));
  if (result.kafka) {
    lines.push('', ...wrap(`${kafkaViewTitle[lang]}:`, c.dim));
    for (const view of kafkaViewLines(result, lang)) {
      lines.push(`  ${c.bold(view.row)}`);
      for (const line of view.lines) lines.push(...wrap(line, undefined, '    ', '      '));
    }
  }
  if (options.events) lines.push('', renderTimeline(options.events, result, lang, c, { width, rowOf: options.rowOf }));
  lines.push('');
  lines.push(c.bold(`${t.why}:`));
  // One line per row: the instances of a two-member row share their reason.
  const notRun = new Map((result.unsupported ?? []).map((u) => [`${u.row}\u0000${u.client}`, u]));
  for (const u of notRun.values()) lines.push(...wrap(`${u.row}: ${t.notSupported} ${u.client} — ${u.reason}`, c.yellow, '! ', '  '));
  for (const line of scenario.lesson(result.knobs, result.strategies, lang, { client: result.client ?? 'kafkajs' })) lines.push(...wrap(line, undefined, '• ', '  '));
  lines.push('');
  const timings = Object.entries(result.timings)
    .map(([phase, ms]) => `${phaseLabels[lang][phase] ?? phase} ${(ms / 1000).toFixed(1)} s`)
    .join(' · ');
  lines.push(...wrap(`${t.timings}: ${timings}`, c.dim, '', '  '));
  lines.push(...wrap(`${t.results}: ${result.resultsDir}`, c.dim, '', '  '));
  return lines.join('\n');
}

/**
 * The table at a width: every column when it fits; else claims, observation, verdict and
 * prediction merged into two text columns; else one block of lines per strategy.
 */
export function renderTable(strategies: readonly StrategyResult[], lang: Lang, c: ChalkInstance, width: number): string {
  for (const layout of [fullTable, mergedTable]) {
    const text = layout(strategies, lang, c, width);
    if (text !== undefined && text.split('\n').every((line) => displayWidth(line) <= width)) return text;
  }
  return blocks(strategies, lang, c, width);
}

interface Cells {
  verdict: string;
  prediction: string;
  lost: string;
  duplicated: string;
  retention: string | undefined;
  redelivered: string | undefined;
}

function cellsOf(s: StrategyResult, lang: Lang, c: ChalkInstance): Cells {
  const t = labels[lang];
  const verdict = s.verdict === 'valid' ? c.green(`✓ ${t.claimHeld}`) : s.verdict === 'invalid' ? c.red(`✗ ${t.claimBroken}`) : c.yellow(`? ${t.unknown}`);
  const retention = s.predicted.lostByRetention !== undefined ? ` +${formatPrediction(s.predicted.lostByRetention)}` : '';
  const prediction = `${formatPrediction(s.predicted.lost)}${retention}/${formatPrediction(s.predicted.duplicated)}`;
  return {
    verdict,
    prediction: s.matchesPrediction ? prediction : c.red(`${prediction} ✗ ${t.differs}`),
    lost: s.lost > 0 ? c.red.bold(String(s.lost)) : c.green('0'),
    duplicated: s.duplicated > 0 ? c.yellow.bold(String(s.duplicated)) : c.green('0'),
    retention: s.lostByRetention > 0 ? c.magenta(`+${s.lostByRetention} ${t.retention}`) : undefined,
    // Deliveries repeated where the store absorbed them: the effects column alone would hide them.
    redelivered: s.duplicatedDeliveries !== s.duplicated ? c.dim(redeliveredText(s, lang)) : undefined,
  };
}

const redeliveredText = (s: StrategyResult, lang: Lang) => (lang === 'zh' ? `重投 ${s.duplicatedDeliveries}` : `${s.duplicatedDeliveries} redelivered`);
const withRedelivered = (cells: Cells) => (cells.redelivered ? `${cells.duplicated}\n${cells.redelivered}` : cells.duplicated);

function fullTable(strategies: readonly StrategyResult[], lang: Lang, c: ChalkInstance): string {
  const t = labels[lang];
  const table = new Table({
    head: [t.strategy, t.claims, t.produced, t.processed, t.lost, t.duplicated, t.restarts, t.observed, t.predicted].map((h) => c.bold(h)),
    style: { head: [], border: [] },
    colAligns: ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'left', 'left'],
  });
  for (const s of strategies) {
    const cells = cellsOf(s, lang, c);
    table.push([
      c.bold(s.name),
      guaranteeLabel(lang, s.claims),
      s.produced,
      s.processed,
      cells.retention ? `${cells.lost}\n${cells.retention}` : cells.lost,
      withRedelivered(cells),
      s.restarts,
      `${guaranteeLabel(lang, s.observed)}\n${cells.verdict}`,
      cells.prediction,
    ]);
  }
  return table.toString();
}

/** Seven columns: the numbers stay in columns, the words are stacked and wrapped to fit. */
function mergedTable(strategies: readonly StrategyResult[], lang: Lang, c: ChalkInstance, width: number): string | undefined {
  const t = labels[lang];
  const heads = [t.strategy, t.lost, t.duplicated, t.processed, t.restarts, `${t.observed} · ${t.predicted}`];
  const numberWidth = (values: Array<string | number>, head: string) => Math.max(displayWidth(head), ...values.map((v) => displayWidth(String(v))));
  const numbers =
    numberWidth(strategies.map((s) => s.lost), t.lost) +
    numberWidth(strategies.map((s) => (s.duplicatedDeliveries !== s.duplicated ? redeliveredText(s, lang) : s.duplicated)), t.duplicated) +
    numberWidth(strategies.map((s) => `${s.processed}/${s.produced}`), t.processed) +
    numberWidth(strategies.map((s) => s.restarts), t.restarts);
  // Borders and padding: 3 columns per cell plus the closing border.
  const textRoom = width - numbers - heads.length * 3 - 1;
  // Names are never broken (a class reads them aloud); the words column needs room for a verdict.
  const nameWidth = Math.max(...strategies.map((s) => displayWidth(s.name)), displayWidth(t.strategy), ...strategies.map((s) => displayWidth(guaranteeLabel(lang, s.claims))));
  const verdictWidth = textRoom - nameWidth;
  if (verdictWidth < 16) return undefined;
  const fit = (text: string, columns: number, style: (s: string) => string = (s) => s) =>
    wrapText(text, columns)
      .map((line) => style(line))
      .join('\n');
  const table = new Table({
    head: heads.map((h, i) => c.bold(i === heads.length - 1 ? fit(h, verdictWidth) : h)),
    style: { head: [], border: [] },
    colAligns: ['left', 'right', 'right', 'right', 'right', 'left'],
  });
  for (const s of strategies) {
    const cells = cellsOf(s, lang, c);
    table.push([
      `${fit(s.name, nameWidth, c.bold)}\n${fit(guaranteeLabel(lang, s.claims), nameWidth, c.dim)}`,
      cells.retention ? `${cells.lost}\n${fit(cells.retention, 12)}` : cells.lost,
      withRedelivered(cells),
      `${s.processed}/${s.produced}`,
      s.restarts,
      [fit(guaranteeLabel(lang, s.observed), verdictWidth), fit(cells.verdict, verdictWidth), fit(cells.prediction, verdictWidth)].join('\n'),
    ]);
  }
  return table.toString();
}

/** The narrow screen: one block of short lines per strategy, numbers first. */
function blocks(strategies: readonly StrategyResult[], lang: Lang, c: ChalkInstance, width: number): string {
  const t = labels[lang];
  const lines: string[] = [];
  const sep = lang === 'zh' ? '：' : ': ';
  for (const s of strategies) {
    const cells = cellsOf(s, lang, c);
    lines.push(c.dim('─'.repeat(width)));
    lines.push(...wrapText(`${c.bold(s.name)} — ${t.claims}${sep}${guaranteeLabel(lang, s.claims)}`, width, { restPrefix: '  ' }));
    const numbers = [
      `${t.produced}${nbsp}${s.produced}`,
      `${t.processed}${nbsp}${s.processed}`,
      `${t.lost}${nbsp}${cells.lost}${cells.retention ? ` (${cells.retention})` : ''}`,
      `${t.duplicated}${nbsp}${cells.duplicated}${cells.redelivered ? ` (${cells.redelivered})` : ''}`,
      `${t.restarts}${nbsp}${s.restarts}`,
    ].join(`${nbsp}· `);
    lines.push(...wrapText(numbers, width, { firstPrefix: '  ', restPrefix: '  ' }));
    lines.push(...wrapText(`${t.observed}${sep}${guaranteeLabel(lang, s.observed)} ${cells.verdict}`, width, { firstPrefix: '  ', restPrefix: '    ' }));
    lines.push(...wrapText(`${t.predicted}${sep}${cells.prediction}`, width, { firstPrefix: '  ', restPrefix: '    ' }));
  }
  lines.push(c.dim('─'.repeat(width)));
  return lines.join('\n');
}
