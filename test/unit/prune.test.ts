import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { newRunFolder, pruneRuns } from '../../src/util/prune.ts';

describe('pruneRuns', () => {
  const make = (names: string[]) => {
    const dir = mkdtempSync(join(tmpdir(), 'kol-prune-'));
    for (const name of names) {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, 'result.json'), '{}');
    }
    return dir;
  };
  const stamps = ['2026-11-25T03-00-00-001', '2026-11-25T03-00-00-002-ab12cd', '2026-11-24T23-59-59-999', '2026-11-25T04-10-00-000'];

  test('keeps the newest N run folders and deletes the older ones', () => {
    const dir = make(stamps);
    const deleted = pruneRuns(dir, 2);
    expect(deleted.map((d) => d.slice(dir.length + 1))).toEqual(['2026-11-24T23-59-59-999', '2026-11-25T03-00-00-001']);
    expect(readdirSync(dir).sort()).toEqual(['2026-11-25T03-00-00-002-ab12cd', '2026-11-25T04-10-00-000']);
  });

  test('leaves anything that is not a run folder alone, and a missing folder is no error', () => {
    const dir = make([...stamps, 'notes']);
    writeFileSync(join(dir, 'README.md'), 'x');
    pruneRuns(dir, 0);
    expect(readdirSync(dir).sort()).toEqual(['README.md', 'notes']);
    expect(pruneRuns(join(dir, 'absent'), 1)).toEqual([]);
  });

  test('keeping more than there are deletes nothing', () => {
    const dir = make(stamps);
    expect(pruneRuns(dir, 10)).toEqual([]);
    expect(stamps.every((s) => existsSync(join(dir, s)))).toBe(true);
  });
});

describe('newRunFolder', () => {
  test('makes the folder of a new run and keeps it and the newest older ones, the oldest deleted at once', () => {
    const parent = mkdtempSync(join(tmpdir(), 'kol-new-run-'));
    for (const name of ['2020-01-01T00-00-00-000', '2020-01-02T00-00-00-000', '2020-01-03T00-00-00-000']) mkdirSync(join(parent, name));
    const dir = newRunFolder(parent, 2);
    expect(existsSync(dir)).toBe(true);
    expect(readdirSync(parent).sort()).toEqual(['2020-01-03T00-00-00-000', dir.slice(parent.length + 1)]);
  });
});
