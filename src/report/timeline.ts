import type { ChalkInstance } from 'chalk';
import type { RunResult } from '../runner/run-result.ts';
import type { Lang } from './lang.ts';
import { timelinesOf, type TimelineSource, type Mark, type MarkKind, type OffsetFate, type PartitionSpan, type RowTimeline } from './offset-history.ts';
import { wrapText } from './wrap.ts';

/**
 * The offset timeline under the table: per row a strip of cells over the offsets (partitions
 * side by side), each cell showing the worst fate of the offsets it covers, with the saved
 * positions above it and the crash and resume points under it. Symbols carry the meaning;
 * colour only repeats it, so NO_COLOR loses nothing.
 */
export const symbols = { once: '─', lost: '✗', deleted: '░', saved: '▾', 'save-failed': '!', crash: '✕', resume: '▸', frozen: 'Z' } as const;

/** A repeated cell shows how often its worst offset was processed: 2..9, "+" beyond. */
export const repeatSymbol = (times: number) => (times > 9 ? '+' : String(times));

const indent = '  ';

const words = {
  en: {
    title: (perCell: string) => `Offset timeline (x: offsets${perCell}; positions are the next offset to read)`,
    perCell: (n: number) => (n > 1 ? `, one cell ≈ ${n} offsets` : ', one cell = one offset'),
    once: 'processed once',
    repeated: 'twice (3…9: more)',
    lost: 'never processed (lost)',
    deleted: 'deleted by retention',
    saved: 'saved position',
    'save-failed': 'save rejected',
    crash: 'crash',
    resume: 'resumed here',
    frozen: 'frozen',
    event: {
      crash: (who: string, at: string) => `${who}crashed at ${at}`,
      frozen: (who: string, at: string) => `${who}froze at ${at}`,
      resume: (who: string, at: string) => `${who}resumed at ${at}`,
      'save-failed': (who: string, at: string) => `${who}save of ${at} rejected`,
      fallback: (policy: string) => ` (no saved position: ${policy})`,
    },
    restart: 'restart: ',
  },
  zh: {
    title: (perCell: string) => `偏移量时间线（横轴：偏移量${perCell}；位置 = 下一个要读的偏移量）`,
    perCell: (n: number) => (n > 1 ? `，每格约 ${n} 个偏移量` : '，每格一个偏移量'),
    once: '处理一次',
    repeated: '处理两次（3…9：更多次）',
    lost: '从未处理（丢失）',
    deleted: '被保留策略删除',
    saved: '保存的位置',
    'save-failed': '保存被拒绝',
    crash: '崩溃',
    resume: '从这里恢复',
    frozen: '被冻结',
    event: {
      crash: (who: string, at: string) => `${who}在 ${at} 崩溃`,
      frozen: (who: string, at: string) => `${who}在 ${at} 被冻结`,
      resume: (who: string, at: string) => `${who}从 ${at} 恢复`,
      'save-failed': (who: string, at: string) => `${who}保存 ${at} 被拒绝`,
      fallback: (policy: string) => `（没有可用的保存位置：${policy}）`,
    },
    restart: '重启后',
  },
} as const;

/** How many cells each partition gets: proportional to its length, one cell per offset at most. */
export function cellCounts(spans: readonly PartitionSpan[], width: number): number[] {
  const cells = Math.max(spans.length, width - indent.length - (spans.length - 1));
  const total = spans.reduce((n, s) => n + (s.end - s.start), 0);
  return spans.map((s) => Math.max(1, Math.min(s.end - s.start, Math.floor((cells * (s.end - s.start)) / Math.max(1, total)))));
}

/** Offsets [from, to) that cell i of k covers in a span. */
export function cellRange(span: PartitionSpan, k: number, i: number): { from: number; to: number } {
  const length = span.end - span.start;
  return { from: span.start + Math.floor((i * length) / k), to: span.start + Math.floor(((i + 1) * length) / k) };
}

/** The cell a position (a boundary: "next offset to read") falls on. */
export function cellOf(span: PartitionSpan, k: number, position: number): number {
  const length = span.end - span.start;
  if (position >= span.end) return k - 1;
  // The cell whose range contains the offset `position`.
  for (let i = Math.floor(((position - span.start) * k) / length); i < k; i++) if (cellRange(span, k, i).to > position) return Math.max(0, i);
  return k - 1;
}

/** The worst fate in a cell: lost, then deleted, then repeated (with the highest count), then once. */
export function cellFate(row: RowTimeline, span: PartitionSpan, range: { from: number; to: number }): { fate: OffsetFate; times: number } {
  let worst: { fate: OffsetFate; times: number } = { fate: 'once', times: 1 };
  const rank: Record<OffsetFate, number> = { once: 0, repeated: 1, deleted: 2, lost: 3 };
  for (let offset = range.from; offset < range.to; offset++) {
    const fate = row.fate(span.partition, offset);
    const times = row.times(span.partition, offset);
    if (rank[fate] > rank[worst.fate] || (fate === worst.fate && times > worst.times)) worst = { fate, times };
  }
  return worst;
}

/** The plain strip of one row (no colour): one symbol per cell, partitions separated by "│". */
export function stripCells(row: RowTimeline, width: number): string[] {
  return stripOf(row, width, { once: (s) => s, repeated: (s) => s, lost: (s) => s, deleted: (s) => s }).map((cells) => cells.join(''));
}

type Paint = Record<OffsetFate, (s: string) => string>;

function stripOf(row: RowTimeline, width: number, paint: Paint): string[][] {
  const counts = cellCounts(row.spans, width);
  return row.spans.map((span, p) =>
    Array.from({ length: counts[p]! }, (_, i) => {
      const { fate, times } = cellFate(row, span, cellRange(span, counts[p]!, i));
      return paint[fate](fate === 'repeated' ? repeatSymbol(times) : fate === 'once' ? symbols.once : symbols[fate]);
    }),
  );
}

/** A line of marks over the strip's cells: the first kind in `priority` wins a shared cell. */
function markLine(row: RowTimeline, width: number, kinds: readonly MarkKind[], paint: (kind: MarkKind, s: string) => string): string | undefined {
  const counts = cellCounts(row.spans, width);
  const segments = row.spans.map((_, p) => new Array<MarkKind | undefined>(counts[p]!).fill(undefined));
  let any = false;
  for (const mark of row.marks) {
    const p = row.spans.findIndex((s) => s.partition === mark.partition);
    if (p < 0 || !kinds.includes(mark.kind)) continue;
    const cell = cellOf(row.spans[p]!, counts[p]!, mark.position);
    const current = segments[p]![cell];
    if (current === undefined || kinds.indexOf(mark.kind) < kinds.indexOf(current)) segments[p]![cell] = mark.kind;
    any = true;
  }
  if (!any) return undefined;
  return indent + segments.map((cells) => cells.map((k) => (k ? paint(k, symbols[k]) : ' ')).join('')).join(' ').trimEnd();
}

export interface TimelineOptions {
  width: number;
  rowOf?: (instance: string) => string;
}

export function renderTimeline(history: TimelineSource, result: RunResult, lang: Lang, c: ChalkInstance, options: TimelineOptions): string {
  const rows = timelinesOf(history, result, options.rowOf);
  if (rows.length === 0 || rows[0]!.spans.length === 0) return '';
  const w = words[lang];
  const width = options.width;
  const paint: Paint = { once: c.green, repeated: c.yellow.bold, lost: c.red.bold, deleted: c.magenta };
  const paintMark = (kind: MarkKind, s: string) => (kind === 'saved' ? c.cyan(s) : kind === 'resume' ? c.blue.bold(s) : c.red.bold(s));
  const counts = cellCounts(rows[0]!.spans, width);
  const perCell = Math.max(...rows[0]!.spans.map((s, p) => Math.ceil((s.end - s.start) / counts[p]!)));
  const present = new Set<string>(['once', 'repeated', 'lost']);
  for (const row of rows) {
    for (const m of row.marks) present.add(m.kind);
    if (row.spans.some((s) => Array.from({ length: s.end - s.start }, (_, i) => row.fate(s.partition, s.start + i)).includes('deleted'))) present.add('deleted');
  }
  const legend = (['once', 'repeated', 'lost', 'deleted', 'saved', 'save-failed', 'crash', 'resume', 'frozen'] as const)
    .filter((k) => present.has(k))
    .map((k) => `${k === 'repeated' ? paint.repeated('2') : k === 'once' || k === 'lost' || k === 'deleted' ? paint[k](symbols[k]) : paintMark(k, symbols[k])}\u00a0${w[k]}`)
    .join('\u00a0\u00a0 ');

  const lines: string[] = [];
  lines.push(...wrapText(c.bold(w.title(w.perCell(perCell))), width));
  lines.push(...wrapText(legend, width, { restPrefix: '' }).map((l) => c.dim(l)));
  for (const row of rows) {
    lines.push('');
    lines.push(c.bold(row.row));
    if (row.spans.length > 1) lines.push(indent + row.spans.map((s, p) => `p${s.partition}`.padEnd(counts[p]!).slice(0, counts[p]!)).join(' ').trimEnd());
    const saves = markLine(row, width, ['save-failed', 'saved'], paintMark);
    if (saves) lines.push(saves);
    lines.push(indent + stripOf(row, width, paint).map((cells) => cells.join('')).join(c.dim('│')));
    const life = markLine(row, width, ['crash', 'frozen', 'resume'], paintMark);
    if (life) lines.push(life);
    const story = row.marks.filter((m) => m.kind !== 'saved').map((m) => describeMark(m, row, lang, paintMark));
    if (story.length > 0) lines.push(...wrapText(story.join(' → '), width, { firstPrefix: indent, restPrefix: indent }));
  }
  return lines.join('\n');
}

function describeMark(mark: Mark, row: RowTimeline, lang: Lang, paintMark: (kind: MarkKind, s: string) => string): string {
  const w = words[lang];
  const member = row.members.length > 1 && mark.instance.startsWith(row.row) ? `${mark.instance.slice(row.row.length)} ` : '';
  const who = `${member}${mark.incarnation > 1 && mark.kind !== 'save-failed' && member === '' ? w.restart : ''}`;
  const at = `${row.spans.length > 1 ? `p${mark.partition}:` : ''}${mark.position}`;
  const text = mark.kind === 'saved' ? at : w.event[mark.kind](who, at) + (mark.fallback ? w.event.fallback(mark.fallback) : '');
  return `${paintMark(mark.kind, symbols[mark.kind])}\u00a0${text}`;
}
