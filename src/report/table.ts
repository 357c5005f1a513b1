import Table from 'cli-table3';
import type { ChalkInstance } from 'chalk';
import type { RunResult } from '../runner/run-result.ts';
import { formatPrediction, type AnyScenario } from '../runner/scenario.ts';
import { guaranteeLabel, labels, phaseLabels } from './labels.ts';
import type { Lang } from './lang.ts';

/** The screen a class sees: the table, the lesson, the timings. */
export function renderReport(result: RunResult, scenario: AnyScenario, lang: Lang, c: ChalkInstance): string {
  const t = labels[lang];
  const table = new Table({
    head: [t.strategy, t.claims, t.produced, t.processed, t.lost, t.duplicated, t.restarts, t.observed, t.predicted].map((h) => c.bold(h)),
    style: { head: [], border: [] },
    colAligns: ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'left', 'left'],
  });
  for (const s of result.strategies) {
    const verdict = s.verdict === 'valid' ? c.green(`✓ ${t.claimHeld}`) : s.verdict === 'invalid' ? c.red(`✗ ${t.claimBroken}`) : c.yellow(`? ${t.unknown}`);
    const retention = s.predicted.lostByRetention !== undefined ? ` +${formatPrediction(s.predicted.lostByRetention)}` : '';
    const prediction = `${formatPrediction(s.predicted.lost)}${retention}/${formatPrediction(s.predicted.duplicated)}`;
    table.push([
      c.bold(s.name),
      guaranteeLabel(lang, s.claims),
      s.produced,
      s.processed,
      (s.lost > 0 ? c.red.bold(String(s.lost)) : c.green('0')) + (s.lostByRetention > 0 ? c.magenta(`\n+${s.lostByRetention} ${t.retention}`) : ''),
      s.duplicated > 0 ? c.yellow.bold(String(s.duplicated)) : c.green('0'),
      s.restarts,
      `${guaranteeLabel(lang, s.observed)}\n${verdict}`,
      s.matchesPrediction ? prediction : c.red(`${prediction} ✗ ${t.differs}`),
    ]);
  }

  const lines: string[] = [];
  lines.push(c.bold(`${scenario.name} — ${scenario.summary[lang]}`));
  lines.push(`${t.broker}: ${result.broker.description}`);
  const crashes = [...new Set(result.strategies.map((s) => (s.crashPlan ? `${s.crashPlan.point} @ ${s.crashPlan.atProcessed}` : '—')))];
  lines.push(`${t.crash}: ${crashes.join(', ')}`);
  for (const fault of result.faults) lines.push(`${t.fault}: ${fault}`);
  lines.push(table.toString());
  for (const problem of [...result.problems, ...result.strategies.flatMap((s) => s.problems.map((p) => `${s.name}: ${p}`))]) {
    lines.push(c.yellow(`! ${problem}`));
  }
  if (result.strategies.some((s) => s.unplannedRebalances > 0)) lines.push(c.yellow(`! ${t.rebalance}`));
  lines.push('');
  lines.push(c.bold(`${t.why}:`));
  for (const line of scenario.lesson(result.knobs, result.strategies, lang)) lines.push(`• ${line}`);
  lines.push('');
  const timings = Object.entries(result.timings)
    .map(([phase, ms]) => `${phaseLabels[lang][phase] ?? phase} ${(ms / 1000).toFixed(1)} s`)
    .join(' · ');
  lines.push(c.dim(`${t.timings}: ${timings}`));
  lines.push(c.dim(`${t.results}: ${result.resultsDir}`));
  return lines.join('\n');
}
