import type { RunResult, StrategyResult } from '../runner/run-result.ts';
import { formatPrediction, type AnyScenario } from '../runner/scenario.ts';
import { kafkaViewLines, kafkaViewTitle } from './kafka-view.ts';
import { guaranteeLabel, labels, phaseLabels } from './labels.ts';
import { langs, type Lang } from './lang.ts';
import { timelinesOf, type TimelineSource } from './offset-history.ts';
import { escapeXml, legendSwatch, renderSvgTimeline } from './svg-timeline.ts';

/**
 * report.html: one self-contained page per run (inline CSS and SVG, no script, nothing from
 * the network) that a teacher can open from the results folder or project.
 */
export const pageStyle = `
body { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", sans-serif; margin: 2rem auto; max-width: 1100px; padding: 0 1rem; color: #222; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #ddd; }
.summary { margin: .2rem 0; } .zh { color: #444; } .meta { color: #555; font-size: .95rem; }
table { border-collapse: collapse; margin: .8rem 0; } th, td { border: 1px solid #ccc; padding: .3rem .6rem; text-align: left; vertical-align: top; }
th { background: #f4f4f4; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.bad { color: #c62828; font-weight: bold; } .dup { color: #b26a00; font-weight: bold; } .ok { color: #2e7d32; } .ret { color: #7b1fa2; }
.lessons { display: grid; grid-template-columns: 1fr 1fr; gap: 1.5rem; } .lessons ul { padding-left: 1.2rem; }
@media (max-width: 800px) { .lessons { grid-template-columns: 1fr; } }
.timeline { display: block; margin: .3rem 0 1.2rem; border: 1px solid #e3e3e3; } .timeline .label { font-size: 12px; fill: #333; } .timeline .tick { font-size: 11px; fill: #666; }
.legend { display: flex; flex-wrap: wrap; gap: .4rem 1.2rem; font-size: .9rem; } .legend span { display: inline-flex; align-items: center; gap: .35rem; }
h3 { margin-bottom: .2rem; font-size: 1.05rem; }
`;

export const page = (title: string, body: string) =>
  `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeXml(title)}</title><style>${pageStyle}</style></head>\n<body>\n${body}\n</body></html>\n`;

const both = (pick: (lang: Lang) => string) => langs.map((lang) => `<span lang="${lang}" class="${lang}">${escapeXml(pick(lang))}</span>`).join(' / ');

function tableHtml(strategies: readonly StrategyResult[]): string {
  const t = labels.en;
  const head = [t.strategy, t.claims, t.produced, t.processed, t.lost, t.duplicated, t.restarts, t.observed, t.predicted];
  const rows = strategies.map((s) => {
    const verdict = s.verdict === 'valid' ? `<span class="ok">✓ ${t.claimHeld}</span>` : s.verdict === 'invalid' ? `<span class="bad">✗ ${t.claimBroken}</span>` : `<span class="dup">? ${t.unknown}</span>`;
    const retention = s.predicted.lostByRetention !== undefined ? ` +${formatPrediction(s.predicted.lostByRetention)}` : '';
    const prediction = `${formatPrediction(s.predicted.lost)}${retention}/${formatPrediction(s.predicted.duplicated)}`;
    const cells = [
      `<th scope="row">${escapeXml(s.name)}</th>`,
      `<td>${escapeXml(guaranteeLabel('en', s.claims))}</td>`,
      `<td class="num" data-field="produced">${s.produced}</td>`,
      `<td class="num" data-field="processed">${s.processed}</td>`,
      `<td class="num ${s.lost > 0 ? 'bad' : 'ok'}" data-field="lost">${s.lost}${s.lostByRetention > 0 ? `<br><span class="ret">+${s.lostByRetention} ${t.retention}</span>` : ''}</td>`,
      `<td class="num ${s.duplicated > 0 ? 'dup' : 'ok'}" data-field="duplicated">${s.duplicated}</td>`,
      `<td class="num" data-field="restarts">${s.restarts}</td>`,
      `<td>${escapeXml(guaranteeLabel('en', s.observed))}<br>${verdict}</td>`,
      `<td${s.matchesPrediction ? '' : ' class="bad"'}>${escapeXml(prediction)}${s.matchesPrediction ? '' : ` ✗ ${t.differs}`}</td>`,
    ];
    return `<tr data-row="${escapeXml(s.name)}">${cells.join('')}</tr>`;
  });
  return `<table class="results"><thead><tr>${head.map((h) => `<th>${escapeXml(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** Per group: what the broker reports (committed, lag) next to what the strategy believes. */
function kafkaViewHtml(result: RunResult): string {
  if (!result.kafka) return '';
  const [en, zh] = [kafkaViewLines(result, 'en'), kafkaViewLines(result, 'zh')];
  const items = en.map(
    (v, i) => `<li data-group="${escapeXml(v.group)}"><b>${escapeXml(v.row)}</b>: ${v.lines.map((line, j) => `${escapeXml(line)} <span class="zh">${escapeXml(zh[i]!.lines[j]!)}</span>`).join('<br>')}</li>`,
  );
  return `<p class="meta">${escapeXml(kafkaViewTitle.en)} <span class="zh">${escapeXml(kafkaViewTitle.zh)}</span></p><ul class="kafka-view">${items.join('')}</ul>`;
}

const legendWords: Record<Lang, Record<string, string>> = {
  en: { once: 'processed once', repeated: 'processed twice or more', lost: 'never processed (lost)', deleted: 'deleted by retention', saved: 'saved position', 'save-failed': 'save rejected', crash: 'crash', resume: 'restart resumed here', frozen: 'frozen' },
  zh: { once: '处理一次', repeated: '处理两次或更多', lost: '从未处理（丢失）', deleted: '被保留策略删除', saved: '保存的位置', 'save-failed': '保存被拒绝', crash: '崩溃', resume: '重启后从这里恢复', frozen: '被冻结' },
};

function legendHtml(): string {
  const kinds = ['once', 'repeated', 'lost', 'deleted', 'saved', 'save-failed', 'crash', 'resume', 'frozen'] as const;
  return `<div class="legend">${kinds.map((k) => `<span>${legendSwatch(k)} ${escapeXml(legendWords.en[k]!)} <span class="zh">${escapeXml(legendWords.zh[k]!)}</span></span>`).join('')}</div>`;
}

export interface HtmlReportInput {
  result: RunResult;
  scenario: AnyScenario;
  /** The run's history, or its timelines folded once (src/report/publish.ts). */
  events: TimelineSource;
  rowOf?: (instance: string) => string;
}

export function renderHtmlReport({ result, scenario, events, rowOf }: HtmlReportInput): string {
  const timelines = timelinesOf(events, result, rowOf);
  const crash = [...new Set(result.strategies.map((s) => (s.crashPlan ? `${s.crashPlan.point} @ ${s.crashPlan.atProcessed}` : '—')))].join(', ');
  const knobs = Object.entries(result.knobs).map(([k, v]) => `${k} ${v}`).join(' · ');
  const timings = Object.entries(result.timings)
    .map(([phase, ms]) => `<tr><th scope="row">${both((lang) => phaseLabels[lang][phase] ?? phase)}</th><td class="num">${(ms / 1000).toFixed(1)} s</td></tr>`)
    .join('');
  const problems = [...result.problems, ...result.strategies.flatMap((s) => s.problems.map((p) => `${s.name}: ${p}`))];
  const body = [
    `<h1>${escapeXml(scenario.name)}</h1>`,
    `<p class="summary" lang="en">${escapeXml(scenario.summary.en)}</p><p class="summary zh" lang="zh">${escapeXml(scenario.summary.zh)}</p>`,
    `<p class="meta">${both((l) => labels[l].broker)}: ${escapeXml(result.broker.description)}<br>topic: ${escapeXml(result.topic)} · ${escapeXml(knobs)}<br>${both((l) => labels[l].crash)}: ${escapeXml(crash)}${result.faults.map((x) => `<br>${both((l) => labels[l].fault)}: ${escapeXml(x)}`).join('')}</p>`,
    tableHtml(result.strategies),
    kafkaViewHtml(result),
    problems.length > 0 ? `<ul class="problems">${problems.map((p) => `<li class="dup">${escapeXml(p)}</li>`).join('')}</ul>` : '',
    `<h2>${both((l) => (l === 'en' ? 'Offset timeline' : '偏移量时间线'))}</h2>`,
    `<p class="meta">x: offset (positions are the next offset to read) · one lane per process lifetime, in the order they started <span class="zh">横轴：偏移量；每条泳道是一次进程生命周期，按启动顺序排列</span></p>`,
    legendHtml(),
    ...timelines.map((row) => `<h3>${escapeXml(row.row)}</h3>${renderSvgTimeline(row, 'en')}`),
    `<h2>${both((l) => (l === 'en' ? 'Why' : '原因'))}</h2>`,
    `<div class="lessons">${langs.map((lang) => `<div lang="${lang}" class="lesson-${lang}"><ul>${scenario.lesson(result.knobs, result.strategies, lang, { client: result.client ?? 'kafkajs' }).map((line) => `<li>${escapeXml(line)}</li>`).join('')}</ul></div>`).join('')}</div>`,
    `<h2>${both((l) => labels[l].timings)}</h2>`,
    `<table class="timings"><tbody>${timings}</tbody></table>`,
    `<p class="meta">run ${escapeXml(result.runId)} · ${both((l) => labels[l].results)}: ${escapeXml(result.resultsDir)}</p>`,
  ];
  return page(`${scenario.name} — kafka-offset-lab`, body.join('\n'));
}

export interface IndexEntry {
  result: RunResult;
  /** The run's report.html, relative to the index page. */
  href: string;
}

/** The page of a `scenario all` run: every scenario's counts and verdict, linked to its report. */
export function renderIndexHtml(entries: readonly IndexEntry[], title: string): string {
  const rows = entries.map(({ result, href }) => {
    const counts = result.strategies.map((s) => `${escapeXml(s.name)}: <span class="${s.lost > 0 ? 'bad' : 'ok'}">${s.lost}</span>/<span class="${s.duplicated > 0 ? 'dup' : 'ok'}">${s.duplicated}</span>`).join('<br>');
    const verdict = result.matchesPrediction ? '<span class="ok">✓ as predicted</span>' : `<span class="bad">✗ ${labels.en.differs}</span>`;
    return `<tr data-scenario="${escapeXml(result.scenario)}"><th scope="row"><a href="${escapeXml(href)}">${escapeXml(result.scenario)}</a></th><td>${counts}</td><td>${verdict}</td></tr>`;
  });
  const body = [
    `<h1>${escapeXml(title)}</h1>`,
    `<p class="meta">cells: lost/duplicated per row; each scenario links to its own report <span class="zh">单元格：丢失/重复；每个场景链接到它自己的报告</span></p>`,
    `<table class="index"><thead><tr><th>scenario</th><th>lost/duplicated</th><th>verdict</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
  ];
  return page(title, body.join('\n'));
}
