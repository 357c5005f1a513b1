import Table from 'cli-table3';
import type { ChalkInstance } from 'chalk';
import type { RunResult } from '../runner/run-result.ts';
import { strategyNames } from '../strategies/registry.ts';
import { labels } from './labels.ts';
import type { Lang } from './lang.ts';

/** `scenario all`: rows = scenarios, columns = base strategies, cells = lost/duplicated per instance. */
export function renderSummary(results: RunResult[], lang: Lang, c: ChalkInstance): string {
  const t = labels[lang];
  const table = new Table({
    head: [lang === 'zh' ? '场景' : 'scenario', ...strategyNames, lang === 'zh' ? '符合预测' : 'as predicted'].map((h) => c.bold(h)),
    style: { head: [], border: [] },
  });
  for (const result of results) {
    const cells = strategyNames.map((base) =>
      result.strategies
        .filter((s) => s.base === base)
        .map((s) => {
          const counts = `${s.lost > 0 ? c.red(String(s.lost)) : '0'}/${s.duplicated > 0 ? c.yellow(String(s.duplicated)) : '0'}${s.lostByRetention > 0 ? c.magenta(` +${s.lostByRetention}`) : ''}`;
          return s.name === base ? counts : `${s.name}: ${counts}`;
        })
        .join('\n') || '—',
    );
    table.push([c.bold(result.scenario), ...cells, result.matchesPrediction ? c.green('✓') : c.red(`✗ ${t.differs}`)]);
  }
  const legend =
    lang === 'zh'
      ? '单元格：丢失/重复（+N：在读取之前被保留策略删除）。每个场景的详细表格和解释：npm run scenario <场景名>'
      : 'cells: lost/duplicated (+N: deleted by retention before being read). Each scenario\'s own table and lesson: npm run scenario <name>';
  return [table.toString(), c.dim(legend)].join('\n');
}
