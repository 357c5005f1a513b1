import { describe, expect, test } from 'vitest';
import { renderHtmlReport, renderIndexHtml } from '../../src/report/html.ts';
import { defineScenario } from '../../src/runner/scenario.ts';
import { crashMidBatchRun } from '../fixtures/report-history.ts';

const { events, result } = crashMidBatchRun();
const scenario = defineScenario({
  name: 'crash-mid-batch',
  summary: { en: 'SIGKILL each consumer in the middle of a batch', zh: '在一批消息处理到一半时杀掉每个消费者' },
  knobs: { messages: { default: 1000 }, partitions: { default: 1 }, batch: { default: 100 }, crashAfter: { default: 37 }, crashBatch: { default: 3 } },
  faults: () => [],
  instances: ['manual-commit'],
  predict: () => ({}),
  lesson: (_k, strategies, lang) => strategies.map((s) => (lang === 'en' ? `${s.strategy}: ${s.duplicated} <duplicated> & ${s.lost} lost` : `${s.strategy}：重复 ${s.duplicated} 条`)),
});
const html = renderHtmlReport({ result, scenario, events });

describe('report.html', () => {
  test('is one self-contained file: nothing to fetch, no script', () => {
    const withoutNamespaces = html.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, '');
    expect(withoutNamespaces).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script|<link|@import|url\(|<img/i);
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
  });

  test('every row of the table carries its numbers', () => {
    for (const s of result.strategies) {
      const row = html.match(new RegExp(`<tr data-row="${s.name.replace('+', '\\+')}">(.*?)</tr>`))![1]!;
      for (const field of ['produced', 'processed', 'lost', 'duplicated', 'restarts'] as const) {
        expect(row).toMatch(new RegExp(`data-field="${field}">${s[field]}(<|$)`));
      }
    }
  });

  test('the lessons in both languages, escaped', () => {
    expect(html).toContain('manual-commit: 37 &lt;duplicated&gt; &amp; 0 lost');
    expect(html).toContain('manual-commit：重复 37 条');
    expect(html).not.toContain('<duplicated>');
  });

  test('one SVG timeline per row, one lane per process lifetime, the crashes and resumes marked', () => {
    const svgs = [...html.matchAll(/<svg class="timeline" data-row="([^"]+)"[\s\S]*?<\/svg>/g)];
    expect(svgs.map((m) => m[1])).toEqual(result.strategies.map((s) => s.name));
    for (const [svg] of svgs) {
      expect(svg.match(/<g class="lane"/g)).toHaveLength(2);
      expect(svg.match(/class="mark-crash"/g)).toHaveLength(1);
      expect(svg.match(/class="mark-resume"/g)).toHaveLength(1);
    }
    const manual = svgs.find((m) => m[1] === 'manual-commit')![0];
    expect(manual.match(/class="mark-saved"/g)).toHaveLength(10);
    // The outcome band: 0..199 once, 200..236 repeated, 237..999 once.
    expect(manual).toContain('<title>p0 0–199: once</title>');
    expect(manual).toContain('<title>p0 200–236: repeated</title>');
    expect(manual).toContain('<title>p0 237–999: once</title>');
    const latest = svgs.find((m) => m[1] === 'file-checkpoint+latest')![0];
    expect(latest).toContain('<title>p0 237–999: lost</title>');
  });

  test('the phase timings', () => {
    expect(html).toMatch(/restart\+drain.*?3\.2 s/);
  });
});

describe('the index page of a run of every scenario', () => {
  test('links every run and shows its verdict', () => {
    const other = { ...result, scenario: 'checkpoint-lost', matchesPrediction: false };
    const index = renderIndexHtml(
      [
        { result, href: '../../crash-mid-batch/x/report.html' },
        { result: other, href: '../../checkpoint-lost/x/report.html' },
      ],
      'all',
    );
    expect(index).toContain('<a href="../../crash-mid-batch/x/report.html">crash-mid-batch</a>');
    expect(index).toContain('<a href="../../checkpoint-lost/x/report.html">checkpoint-lost</a>');
    expect(index.match(/✓ as predicted/g)).toHaveLength(1);
    expect(index.match(/✗ differs/g)).toHaveLength(1);
  });
});
