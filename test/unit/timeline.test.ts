import { Chalk } from 'chalk';
import { describe, expect, test } from 'vitest';
import { buildTimelines } from '../../src/report/offset-history.ts';
import { cellCounts, cellOf, cellRange, renderTimeline, stripCells, symbols } from '../../src/report/timeline.ts';
import { displayWidth, stripAnsi } from '../../src/report/wrap.ts';
import { crashMidBatchRun } from '../fixtures/report-history.ts';

const plain = new Chalk({ level: 0 });
const coloured = new Chalk({ level: 1 });
const { events, result } = crashMidBatchRun();
const rows = buildTimelines(events, result);
const row = (name: string) => rows.find((r) => r.row === name)!;
const span = { partition: 0, start: 0, end: 1000 };

/** The symbol every cell must show: the cells touching [from, to] show `inside`, the rest "once". */
function expectedStrip(width: number, from: number, to: number, inside: string): string {
  const [k] = cellCounts([span], width);
  return Array.from({ length: k! }, (_, i) => {
    const range = cellRange(span, k!, i);
    return range.from <= to && range.to - 1 >= from ? inside : symbols.once;
  }).join('');
}

/** The lines of one row's block in the rendered timeline: name, saves, strip, life, story. */
function block(text: string, name: string): string[] {
  const lines = text.split('\n');
  const start = lines.indexOf(name);
  const end = lines.indexOf('', start);
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

describe('the offset timeline of a crash in the middle of a batch', () => {
  test('one cell per 10 offsets: messages 201..237 (offsets 200..236) show as processed twice', () => {
    // 102 columns: 2 of indent, 100 cells of 10 offsets; 200..236 touches cells 20..23.
    expect(stripCells(row('manual-commit'), 102)).toEqual([`${'─'.repeat(20)}2222${'─'.repeat(76)}`]);
  });

  test.each([80, 100, 140])('at %i columns every cell shows the worst fate of the offsets it covers', (width) => {
    expect(stripCells(row('manual-commit'), width)).toEqual([expectedStrip(width, 200, 236, '2')]);
    expect(stripCells(row('auto-commit'), width)).toEqual([expectedStrip(width, 0, 236, '2')]);
    expect(stripCells(row('file-checkpoint+latest'), width)).toEqual([expectedStrip(width, 237, 999, symbols.lost)]);
  });

  test('saved positions above the strip, crash and resume under it, the story in time order', () => {
    const width = 80;
    const [k] = cellCounts([span], width);
    const at = (position: number) => 2 + cellOf(span, k!, position);
    const [saves, strip, life, story] = block(renderTimeline(events, result, 'en', plain, { width }), 'manual-commit');
    const savedCells = [...saves!].flatMap((ch, i) => (ch === symbols.saved ? [i] : []));
    expect(savedCells).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000].map(at));
    expect(strip).toBe(`  ${expectedStrip(width, 200, 236, '2')}`);
    expect(life![at(237)]).toBe(symbols.crash);
    expect(life![at(200)]).toBe(symbols.resume);
    expect(life!.replace(/ /g, '')).toBe(`${symbols.resume}${symbols.crash}`);
    expect(story).toBe('  ✕\u00a0crashed at 237 → ▸\u00a0restart: resumed at 200');
  });

  test('a fallback says where the restart went and why', () => {
    const text = renderTimeline(events, result, 'en', plain, { width: 100 });
    expect(block(text, 'file-checkpoint+latest').at(-1)).toContain('resumed at 1000 (no saved position: latest)');
    expect(block(text, 'auto-commit').at(-1)).toContain('resumed at 0');
    const zh = renderTimeline(events, result, 'zh', plain, { width: 100 });
    expect(block(zh, 'manual-commit').at(-1)).toContain('重启后从 200 恢复');
  });

  test.each([
    [80, 'en'],
    [100, 'en'],
    [140, 'en'],
    [80, 'zh'],
    [100, 'zh'],
    [140, 'zh'],
  ] as const)('at %i columns (%s) no line is wider than the screen', (width, lang) => {
    for (const line of renderTimeline(events, result, lang, coloured, { width }).split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(width);
  });

  test('without colour the symbols carry everything; colour only repeats them', () => {
    const withoutColour = renderTimeline(events, result, 'en', plain, { width: 100 });
    const withColour = renderTimeline(events, result, 'en', coloured, { width: 100 });
    expect(withoutColour).not.toContain('\x1b[');
    expect(withColour).toContain('\x1b[');
    expect(stripAnsi(withColour)).toBe(withoutColour);
    for (const legend of ['─\u00a0processed once', '2\u00a0twice', '✗\u00a0never processed (lost)', '▾\u00a0saved position', '✕\u00a0crash', '▸\u00a0resumed here']) {
      expect(withoutColour.replace(/\n/g, ' ')).toContain(legend);
    }
  });
});

describe('rows made of several instances and partitions', () => {
  test('a group row merges its members; a partition moved to the survivor is a resume point', () => {
    const { events: base } = crashMidBatchRun();
    const produced = base.filter((e) => e.kind === 'produced').map((e) => ({ ...e, partition: e.offset < 500 ? 0 : 1, offset: e.offset % 500 }));
    const events = [
      ...produced,
      { kind: 'joined', strategy: 'g#1', incarnation: 1, partitions: [0], resumeFrom: { 0: 0 }, time: 1 },
      { kind: 'joined', strategy: 'g#2', incarnation: 1, partitions: [1], resumeFrom: { 1: 0 }, time: 2 },
      ...Array.from({ length: 150 }, (_, o) => ({ kind: 'processed', strategy: 'g#1', incarnation: 1, partition: 0, offset: o, seq: o + 1 })),
      { kind: 'saved', strategy: 'g#1', incarnation: 1, via: 'kafka-commit', positions: { 0: 100 }, time: 3 },
      { kind: 'crash', strategy: 'g#1', incarnation: 1, point: 'mid-batch', processedInIncarnation: 150, time: 4 },
      ...Array.from({ length: 500 }, (_, o) => ({ kind: 'processed', strategy: 'g#2', incarnation: 1, partition: 1, offset: o, seq: 501 + o })),
      { kind: 'joined', strategy: 'g#2', incarnation: 1, partitions: [0, 1], resumeFrom: { 0: 100, 1: 500 }, time: 5 },
      ...Array.from({ length: 400 }, (_, o) => ({ kind: 'processed', strategy: 'g#2', incarnation: 1, partition: 0, offset: 100 + o, seq: 101 + o })),
    ] as typeof base;
    const strategy = { ...result.strategies[0]!, strategy: 'g', name: 'g', lostSeqs: [], duplicatedSeqs: Array.from({ length: 50 }, (_, i) => ({ seq: 101 + i, times: 2 })) };
    const [g] = buildTimelines(events, { ...result, strategies: [strategy] });
    expect(g!.members).toEqual(['g#1', 'g#2']);
    expect(g!.spans).toEqual([{ partition: 0, start: 0, end: 500 }, { partition: 1, start: 0, end: 500 }]);
    expect(g!.marks.map((m) => [m.kind, m.instance, m.partition, m.position])).toEqual([
      ['saved', 'g#1', 0, 100],
      ['crash', 'g#1', 0, 150],
      ['resume', 'g#2', 0, 100],
    ]);
    const text = renderTimeline(events, { ...result, strategies: [strategy] }, 'en', plain, { width: 80 });
    const [partitions, , strip, , story] = block(text, 'g');
    expect(partitions!.startsWith('  p0')).toBe(true);
    expect(strip!.split('│')).toHaveLength(2);
    expect(story).toBe('  ✕\u00a0#1 crashed at p0:150 → ▸\u00a0#2 resumed at p0:100');
  });
});
