import type { Lang } from './lang.ts';
import type { Lane, Mark, OffsetFate, PartitionSpan, RowTimeline } from './offset-history.ts';

/**
 * One row's timeline as inline SVG: x = offset (partitions side by side), the top band is the
 * outcome of every offset, then one lane per process lifetime in the order they started:
 * what it processed (coloured by the offset's outcome), its saved positions, its crash and
 * where it resumed.
 */
export const fateColors: Record<OffsetFate, string> = { once: '#4caf50', repeated: '#f0a020', lost: '#d32f2f', deleted: '#9c27b0' };
const colors = { saved: '#0288d1', failed: '#d32f2f', crash: '#b71c1c', resume: '#1565c0', frozen: '#6a1b9a', axis: '#666' };

const width = 960;
const left = 170;
const right = 16;
const gap = 10;
const band = 18;
const lane = 24;
const top = 22;

export const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const words = {
  en: { outcome: 'outcome', run: 'run', restart: 'restart', started: 'started', processed: 'processed', saved: 'saved', rejected: 'save rejected', crash: 'crashed at', resume: 'resumed at', frozen: 'frozen at', fallback: 'no saved position, fell back to' },
  zh: { outcome: '结果', run: '首次运行', restart: '重启', started: '启动于', processed: '处理了', saved: '保存', rejected: '保存被拒绝', crash: '崩溃于', resume: '恢复于', frozen: '冻结于', fallback: '没有可用的保存位置，退回到' },
};

interface Scale {
  x(partition: number, position: number): number;
  spans: readonly PartitionSpan[];
}

function scaleFor(spans: readonly PartitionSpan[]): Scale {
  const plot = width - left - right - gap * (spans.length - 1);
  const total = spans.reduce((n, s) => n + (s.end - s.start), 0) || 1;
  const starts = new Map<number, { x0: number; span: PartitionSpan; w: number }>();
  let x0 = left;
  for (const span of spans) {
    const w = (plot * (span.end - span.start)) / total;
    starts.set(span.partition, { x0, span, w });
    x0 += w + gap;
  }
  return {
    spans,
    x: (partition, position) => {
      const s = starts.get(partition);
      if (!s) return left;
      return s.x0 + (s.w * (Math.min(Math.max(position, s.span.start), s.span.end) - s.span.start)) / Math.max(1, s.span.end - s.span.start);
    },
  };
}

const f = (n: number) => n.toFixed(1);

/** Consecutive offsets of the same outcome as rectangles. */
function fateRects(row: RowTimeline, scale: Scale, partition: number, from: number, to: number, y: number, h: number, title: string): string {
  const out: string[] = [];
  let start = from;
  while (start < to) {
    const fate = row.fate(partition, start);
    let end = start + 1;
    while (end < to && row.fate(partition, end) === fate) end++;
    const x = scale.x(partition, start);
    const w = Math.max(0.8, scale.x(partition, end) - x);
    out.push(`<rect class="fate-${fate}" x="${f(x)}" y="${y}" width="${f(w)}" height="${h}" fill="${fateColors[fate]}"><title>${escapeXml(`${title}p${partition} ${start}–${end - 1}: ${fate}`)}</title></rect>`);
    start = end;
  }
  return out.join('');
}

function markSvg(mark: Mark, scale: Scale, y: number, lang: Lang): string {
  const w = words[lang];
  const x = scale.x(mark.partition, mark.position);
  const at = `p${mark.partition} ${mark.position}`;
  switch (mark.kind) {
    case 'saved':
      return `<g class="mark-saved"><title>${escapeXml(`${w.saved} ${at}`)}</title><line x1="${f(x)}" y1="${y + 2}" x2="${f(x)}" y2="${y + lane - 4}" stroke="${colors.saved}" stroke-width="2"/><path d="M${f(x - 4)} ${y} h8 l-4 5 z" fill="${colors.saved}"/></g>`;
    case 'save-failed':
      return `<g class="mark-save-failed"><title>${escapeXml(`${w.rejected} ${at}`)}</title><line x1="${f(x)}" y1="${y}" x2="${f(x)}" y2="${y + lane - 4}" stroke="${colors.failed}" stroke-width="2" stroke-dasharray="3 2"/><circle cx="${f(x)}" cy="${y + 2}" r="3" fill="${colors.failed}"/></g>`;
    case 'crash': {
      const c = y + (lane - 4) / 2;
      return `<g class="mark-crash"><title>${escapeXml(`${w.crash} ${at}`)}</title><path d="M${f(x - 6)} ${c - 6} l12 12 M${f(x + 6)} ${c - 6} l-12 12" stroke="${colors.crash}" stroke-width="3" stroke-linecap="round"/></g>`;
    }
    case 'frozen': {
      const c = y + (lane - 4) / 2;
      return `<g class="mark-frozen"><title>${escapeXml(`${w.frozen} ${at}`)}</title><rect x="${f(x - 6)}" y="${c - 7}" width="4" height="14" fill="${colors.frozen}"/><rect x="${f(x + 2)}" y="${c - 7}" width="4" height="14" fill="${colors.frozen}"/></g>`;
    }
    case 'resume': {
      const c = y + (lane - 4) / 2;
      const why = mark.fallback ? ` (${w.fallback} ${mark.fallback})` : '';
      return `<g class="mark-resume"><title>${escapeXml(`${w.resume} ${at}${why}`)}</title><path d="M${f(x)} ${c - 8} l9 8 l-9 8 z" fill="${colors.resume}" stroke="#fff" stroke-width="1"/></g>`;
    }
  }
}

function laneLabel(l: Lane, row: RowTimeline, first: number, lang: Lang): string {
  const w = words[lang];
  const member = row.members.length > 1 ? l.instance : '';
  const life = l.incarnation === 1 ? w.run : `${w.restart} ${l.incarnation - 1}`;
  const when = Number.isFinite(l.started) ? ` +${((l.started - first) / 1000).toFixed(1)} s` : '';
  return [member, life].filter(Boolean).join(' · ') + when;
}

/** The SVG of one row. */
export function renderSvgTimeline(row: RowTimeline, lang: Lang): string {
  const w = words[lang];
  const scale = scaleFor(row.spans);
  const height = top + band + 8 + row.lanes.length * lane + 30;
  const parts: string[] = [];
  parts.push(`<text x="${left - 8}" y="${top + band - 5}" text-anchor="end" class="label">${escapeXml(w.outcome)}</text>`);
  for (const span of row.spans) parts.push(fateRects(row, scale, span.partition, span.start, span.end, top, band, ''));
  const first = Math.min(...row.lanes.map((l) => l.started));
  row.lanes.forEach((l, i) => {
    const y = top + band + 8 + i * lane;
    parts.push(`<g class="lane" data-instance="${escapeXml(l.instance)}" data-incarnation="${l.incarnation}">`);
    parts.push(`<text x="${left - 8}" y="${y + 15}" text-anchor="end" class="label">${escapeXml(laneLabel(l, row, first, lang))}</text>`);
    parts.push(`<rect x="${left}" y="${y}" width="${width - left - right}" height="${lane - 4}" fill="#f3f3f3"/>`);
    for (const run of l.runs) parts.push(fateRects(row, scale, run.partition, run.from, run.to, y + 3, lane - 10, `${w.processed} `));
    for (const mark of row.marks.filter((m) => m.instance === l.instance && m.incarnation === l.incarnation)) parts.push(markSvg(mark, scale, y, lang));
    parts.push('</g>');
  });
  // The offset axis: each partition's first and end offset.
  const axisY = height - 22;
  for (const span of row.spans) {
    const x0 = scale.x(span.partition, span.start);
    const x1 = scale.x(span.partition, span.end);
    parts.push(`<line x1="${f(x0)}" y1="${axisY}" x2="${f(x1)}" y2="${axisY}" stroke="${colors.axis}"/>`);
    parts.push(`<text x="${f(x0)}" y="${axisY + 14}" class="tick">${span.start}</text><text x="${f(x1)}" y="${axisY + 14}" text-anchor="end" class="tick">${span.end}</text>`);
    if (row.spans.length > 1) parts.push(`<text x="${f((x0 + x1) / 2)}" y="${top - 6}" text-anchor="middle" class="tick">p${span.partition}</text>`);
  }
  return `<svg class="timeline" data-row="${escapeXml(row.row)}" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${escapeXml(row.row)}" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg>`;
}

/** The legend's swatches, as small inline SVGs next to their words. */
export function legendSwatch(kind: OffsetFate | Mark['kind']): string {
  const box = (fill: string) => `<svg width="18" height="12" viewBox="0 0 18 12" aria-hidden="true"><rect width="18" height="12" fill="${fill}"/></svg>`;
  if (kind in fateColors) return box(fateColors[kind as OffsetFate]);
  const body = {
    saved: `<line x1="9" y1="2" x2="9" y2="12" stroke="${colors.saved}" stroke-width="2"/><path d="M5 0 h8 l-4 5 z" fill="${colors.saved}"/>`,
    'save-failed': `<line x1="9" y1="2" x2="9" y2="12" stroke="${colors.failed}" stroke-width="2" stroke-dasharray="3 2"/><circle cx="9" cy="2" r="2.5" fill="${colors.failed}"/>`,
    crash: `<path d="M4 1 l10 10 M14 1 l-10 10" stroke="${colors.crash}" stroke-width="3" stroke-linecap="round"/>`,
    frozen: `<rect x="4" y="0" width="4" height="12" fill="${colors.frozen}"/><rect x="10" y="0" width="4" height="12" fill="${colors.frozen}"/>`,
    resume: `<path d="M5 0 l9 6 l-9 6 z" fill="${colors.resume}"/>`,
  }[kind as Mark['kind']];
  return `<svg width="18" height="12" viewBox="0 0 18 12" aria-hidden="true">${body}</svg>`;
}
