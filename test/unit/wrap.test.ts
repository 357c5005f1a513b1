import { describe, expect, test } from 'vitest';
import { displayWidth, padDisplay, wrapText } from '../../src/report/wrap.ts';

const closingPunctuation = [...'。，、；：！？」）'];

describe('displayWidth', () => {
  test('counts East Asian wide characters as two columns and colour escapes as none', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('重复')).toBe(4);
    expect(displayWidth('「提交」。')).toBe(10);
    expect(displayWidth('\x1b[31m丢失\x1b[39m 0')).toBe(6);
    expect(displayWidth('✓ ✗ — · ▸')).toBe(9);
  });

  test('padDisplay pads to columns, not characters', () => {
    expect(padDisplay('重复', 6)).toBe('重复  ');
    expect(padDisplay('7', 3, 'right')).toBe('  7');
  });
});

describe('wrapText in English', () => {
  const text =
    'auto-commit committed nothing before the crash, so the restarted process read every message again: 237 duplicated batches, none lost.';

  test.each([20, 33, 40, 80])('breaks only at spaces and keeps every word whole at %i columns', (width) => {
    const lines = wrapText(text, width);
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(width);
    expect(lines.join(' ')).toBe(text);
    for (const word of ['batches,', 'duplicated', 'auto-commit']) expect(lines.some((l) => l.includes(word))).toBe(true);
  });

  test('hangs the following lines under a bullet', () => {
    const lines = wrapText(text, 30, { firstPrefix: '• ', restPrefix: '  ' });
    expect(lines[0]!.startsWith('• auto-commit')).toBe(true);
    for (const line of lines.slice(1)) expect(line.startsWith('  ') && !line.startsWith('   ')).toBe(true);
  });

  test('splits a word longer than the line rather than overflow', () => {
    const lines = wrapText('see results/crash-mid-batch/2026-11-25T03-00-52-925/report.html now', 20);
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(20);
    expect(lines.join('')).toContain('report.html');
  });

  test('keeps colour escapes and does not count them', () => {
    const lines = wrapText(`\x1b[31mlost\x1b[39m messages are never processed again`, 12);
    expect(lines[0]).toBe('\x1b[31mlost\x1b[39m');
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(12);
  });
});

describe('wrapText in Chinese', () => {
  const text =
    'manual-commit 在第 200 条消息之后提交了位置。进程在第 237 条消息处被杀死，重启后从 200 继续：201 到 237 被重复处理，一条也没有丢失。「至少一次」成立！';

  test.each([10, 11, 16, 17, 23, 40, 80])('breaks between characters, never before closing punctuation, at %i columns', (width) => {
    const lines = wrapText(text, width);
    for (const line of lines) {
      expect(displayWidth(line)).toBeLessThanOrEqual(width);
      expect(closingPunctuation).not.toContain([...line][0]);
      expect(line.endsWith('「')).toBe(false);
    }
    // Nothing dropped but the spaces at the breaks.
    expect(lines.join('').replace(/ /g, '')).toBe(text.replace(/ /g, ''));
    if (width >= 13) expect(lines.some((l) => l.includes('manual-commit'))).toBe(true);
  });

  test('a full stop that would start a line takes its character with it', () => {
    // 8 columns: "一二三四" fills the line exactly; "。" must not start the next one.
    expect(wrapText('一二三四。五六', 8)).toEqual(['一二三', '四。五六']);
    expect(wrapText('一二三「四五」', 8)).toEqual(['一二三', '「四五」']);
  });
});
