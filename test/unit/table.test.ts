import { Chalk } from 'chalk';
import { describe, expect, test } from 'vitest';
import type { Lang } from '../../src/report/lang.ts';
import { renderReport, renderTable } from '../../src/report/table.ts';
import type { RunResult } from '../../src/runner/run-result.ts';
import { defineScenario } from '../../src/runner/scenario.ts';
import { displayWidth, stripAnsi } from '../../src/report/wrap.ts';
import { crashMidBatchRun } from '../fixtures/report-history.ts';

const coloured = new Chalk({ level: 1 });
const { events, result } = crashMidBatchRun();

// A row that makes the table wide: a long name, retention, a count that differs from the prediction.
const wide: RunResult = {
  ...result,
  strategies: [
    ...result.strategies,
    { ...result.strategies[0]!, name: 'file-checkpoint+earliest-with-a-long-name', lost: 12, lostByRetention: 40, processed: 988, duplicated: 3, matchesPrediction: false, observed: 'neither', verdict: 'invalid' },
  ],
};

const scenario = defineScenario({
  name: 'crash-mid-batch',
  summary: {
    en: 'SIGKILL each consumer in the middle of a batch, before it saves offsets; restart; count lost and duplicated',
    zh: '在一批消息处理到一半、尚未保存 offset 时用 SIGKILL 杀掉每个消费者，重启后统计丢失与重复',
  },
  knobs: { messages: { default: 1000 }, partitions: { default: 1 }, batch: { default: 100 }, crashAfter: { default: 37 }, crashBatch: { default: 3 } },
  faults: () => [],
  instances: ['manual-commit'],
  predict: () => ({}),
  lesson: (_k, _s, lang) =>
    lang === 'en'
      ? ['manual-commit and file-checkpoint had saved the position at the end of batch 2, resumed there and processed the 37 unsaved messages again: 37 duplicated batches, none lost.']
      : ['manual-commit 与 file-checkpoint：已保存到第 2 批末尾（下一个要读的 offset），重启后从那里继续，把崩溃前处理过但未保存的 37 条再处理一遍：重复 37 条，丢失 0 条。「至少一次」成立。'],
});

const closingPunctuation = [...'。，、；：！？」）'];

/** The lines of the table that belong to one row: from its name to the next border or rule. */
function rowSection(table: string, name: string): string {
  const lines = stripAnsi(table).split('\n');
  const start = lines.findIndex((l) => new RegExp(`(^|[\\s│])${name.replace(/[+]/g, '\\+')}(\\s|$)`).test(l));
  expect(start, `${name} in the table`).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((l, i) => i > start && /^[├└─]/.test(l));
  return lines.slice(start, end).join('\n');
}

const hasNumber = (text: string, n: number) => new RegExp(`(^|[^0-9])${n}([^0-9]|$)`).test(text);

describe.each(['en', 'zh'] as const)('the report in %s', (lang: Lang) => {
  test.each([80, 100, 140])('at %i columns: no line is wider, every row keeps its numbers', (width) => {
    for (const run of [result, wide]) {
      const table = renderTable(run.strategies, lang, coloured, width);
      for (const line of table.split('\n')) expect(displayWidth(line), line).toBeLessThanOrEqual(width);
      for (const s of run.strategies) {
        const section = rowSection(table, s.name);
        for (const n of [s.produced, s.processed, s.lost, s.duplicated, s.restarts]) expect(hasNumber(section, n), `${s.name} ${n} in\n${section}`).toBe(true);
        if (s.lostByRetention > 0) expect(hasNumber(section, s.lostByRetention)).toBe(true);
      }
    }
  });

  test.each([80, 100, 140])('at %i columns the whole screen fits and the lesson wraps at word or character boundaries', (width) => {
    const text = renderReport(wide, scenario, lang, coloured, { width, events });
    const lines = text.split('\n').map(stripAnsi);
    for (const line of lines) {
      expect(displayWidth(line), line).toBeLessThanOrEqual(width);
      expect(closingPunctuation).not.toContain([...line.trimStart()][0]);
    }
    const why = lines.findIndex((l) => l.startsWith(lang === 'en' ? 'why:' : '原因:'));
    const lesson = lines.slice(why + 1, lines.indexOf('', why));
    const words = lesson.join(' ').split(/\s+/);
    if (lang === 'en') for (const word of ['duplicated', 'batches,', 'file-checkpoint', 'unsaved']) expect(words).toContain(word);
    else expect(lesson.map((l) => l.trim()).join('')).toContain('重启后从那里继续，把崩溃前处理过但未保存的 37 条再处理一遍');
    expect(stripAnsi(text)).toContain(lang === 'en' ? 'Offset timeline' : '偏移量时间线');
  });
});

describe('the layout follows the width', () => {
  test('wide enough: every column, one header line with all nine headings', () => {
    const head = stripAnsi(renderTable(result.strategies, 'en', coloured, 140)).split('\n')[1]!;
    for (const h of ['strategy', 'claims', 'produced', 'processed', 'lost', 'duplicated', 'restarts', 'observed', 'predicted']) expect(head).toContain(h);
  });

  test('narrow: one block per strategy, labelled numbers', () => {
    const text = stripAnsi(renderTable(wide.strategies, 'en', coloured, 60));
    expect(text).not.toContain('┌');
    expect(text).toContain('produced\u00a01000');
    expect(text).toContain('duplicated\u00a0237');
    for (const line of text.split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(60);
  });
});
