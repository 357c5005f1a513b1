import { describe, expect, test } from 'vitest';
import { claimIds } from '../../src/claims/claims.ts';
import type { ClaimInputs, RowCounts } from '../../src/claims/evidence.ts';
import { claimsMarkdown, renderClaims } from '../../src/claims/render.ts';
import { judgeClaims, verdictFunctions } from '../../src/claims/verdicts.ts';

const r = (lost: number, duplicated: number, duplicatedDeliveries = duplicated, produced = 1000): RowCounts => ({ produced, lost, duplicated, duplicatedDeliveries, delivered: produced - lost + duplicatedDeliveries });
const rates = (every1: number, every100: number) =>
  ['kafka-commit', 'file-in-place', 'file-atomic', 'sqlite-transaction', 'kafka-transaction'].flatMap((mode) => [
    { mode, interval: 1, messages: 100, perRun: [every1], median: every1 },
    { mode, interval: 100, messages: 1000, perRun: [every100], median: every100 },
  ]);

/** Hand-made numbers shaped like a default run's. */
function inputs(): ClaimInputs {
  return {
    runs: {
      'crash-mid-batch': { 'auto-commit': r(0, 237), 'manual-commit': r(0, 37), 'file-checkpoint': r(0, 37) },
      'commit-before-process': { 'commit-after-process': r(0, 36), 'commit-before-process': r(64, 0) },
      'auto-commit-async': { awaited: r(0, 237), 'handed-off': r(763, 0) },
      'off-by-one-commit': { 'commit offset+1': r(0, 37), 'commit offset': r(0, 38) },
      'torn-checkpoint': { 'in-place+earliest': r(0, 300), 'in-place+latest': r(700, 0), atomic: r(0, 100) },
      'checkpoint-lost': { 'manual-commit': r(0, 37), 'file-checkpoint+earliest': r(0, 237), 'file-checkpoint+latest': r(763, 0) },
      'stale-checkpoint': { 'manual-commit': r(0, 37), 'restored-backup': r(0, 137), ahead: r(263, 0) },
      'two-services': { 'service-A': r(0, 0), 'service-B': r(0, 0), 'shared-file-A': r(263, 0), 'shared-file-B': r(663, 0) },
      'rebalance-handoff': { 'auto-commit': r(0, 237), 'manual-commit': r(0, 37), 'file-checkpoint': r(0, 1037) },
      'zombie-consumer': { 'manual-commit': r(0, 101, 101, 2000), 'file-checkpoint': r(0, 2000, 2000, 2000) },
      'the-right-way': {
        'file-checkpoint': r(0, 37),
        'atomic-store': r(0, 0, 37),
        'atomic-store+kafka': r(0, 0, 37),
        'idempotent-sink': r(0, 0, 37),
        'state-snapshot': r(0, 37),
        'kafka-transactions': r(0, 0, 37),
      },
      'crash-during-save': { 'file-checkpoint/between': r(0, 100), 'atomic-store/between': r(0, 0, 100), 'atomic-store/during': r(0, 0, 100) },
      'seek-replay': { resumes: r(0, 0), 'offset-reset': r(0, 1000), 'new-group': r(0, 1000), 'seek-back': r(0, 500) },
    },
    saveCost: { intervals: [1, 100], rows: rates(1000, 10000) },
  };
}
const kindOf = (id: keyof typeof verdictFunctions, i: ClaimInputs) => verdictFunctions[id](i).kind;

describe('claim verdicts: pure functions of the measured numbers', () => {
  test('a default-shaped run: every claim has a verdict and evidence with numbers', () => {
    const verdicts = judgeClaims(inputs());
    expect(verdicts.map((v) => v.id)).toEqual([...claimIds]);
    expect(Object.fromEntries(verdicts.map((v) => [v.id, v.kind]))).toEqual({
      B1: 'holds', B2: 'does-not-hold', B3: 'holds', B4: 'holds-only-when', D1: 'holds', D2: 'holds', D3: 'holds', D4: 'holds',
      S: 'holds-only-when', C1: 'holds-only-when', C2: 'holds', C3: 'holds-only-when', C4: 'holds-only-when', C5: 'holds', G1: 'holds-only-when', G2: 'holds-only-when',
    });
    for (const v of verdicts) expect(v.evidence.length).toBeGreaterThan(0);
    expect(verdictFunctions.B4(inputs()).evidence[0]).toEqual({ scenario: 'crash-mid-batch', row: 'file-checkpoint', numbers: 'lost 0, duplicated 37 (of 1000)' });
  });

  test('B4: holds when the file repeats nothing; holds only when atomic if only the atomic store is clean; otherwise does not hold', () => {
    const i = inputs();
    expect(verdictFunctions.B4(i).condition?.en).toContain('stored atomically with the results');
    i.runs['the-right-way']!['atomic-store'] = r(0, 5);
    expect(kindOf('B4', i)).toBe('does-not-hold');
    i.runs['crash-mid-batch']!['file-checkpoint'] = r(0, 0);
    i.runs['crash-during-save']!['file-checkpoint/between'] = r(0, 0);
    expect(kindOf('B4', i)).toBe('holds');
  });

  test('C1: a re-read by the resuming group refutes it; no re-read anywhere confirms it', () => {
    const i = inputs();
    i.runs['seek-replay']!.resumes = r(0, 3);
    expect(kindOf('C1', i)).toBe('does-not-hold');
    const j = inputs();
    for (const row of ['offset-reset', 'new-group', 'seek-back']) j.runs['seek-replay']![row] = r(0, 0);
    expect(kindOf('C1', j)).toBe('holds');
  });

  test('C4: awaited auto-commit losing makes it hold outright; no loss at all refutes it', () => {
    const i = inputs();
    i.runs['auto-commit-async']!.awaited = r(5, 0);
    expect(kindOf('C4', i)).toBe('holds');
    i.runs['auto-commit-async']!.awaited = r(0, 237);
    i.runs['auto-commit-async']!['handed-off'] = r(0, 0);
    expect(kindOf('C4', i)).toBe('does-not-hold');
  });

  test('B2 follows the numbers: a checkpoint that lost less than Kafka would make it hold', () => {
    const i = inputs();
    i.runs['crash-mid-batch']!['manual-commit'] = r(10, 0);
    expect(kindOf('B2', i)).toBe('holds');
  });

  test('B3/D2 from the save-cost medians: no speed-up refutes both; a missing measurement is "not measured"', () => {
    const i = inputs();
    i.saveCost = { intervals: [1, 100], rows: rates(1000, 900) };
    expect(kindOf('B3', i)).toBe('does-not-hold');
    expect(kindOf('D2', i)).toBe('does-not-hold');
    delete i.saveCost;
    expect(kindOf('B3', i)).toBe('not-measured');
  });

  test('C3 holds when committing C repeats no more than committing C+1; G1 holds without the shared file loss; S flips when the atomic designs repeat', () => {
    const i = inputs();
    i.runs['off-by-one-commit']!['commit offset'] = r(0, 37);
    expect(kindOf('C3', i)).toBe('holds');
    i.runs['two-services']!['shared-file-A'] = r(0, 0);
    i.runs['two-services']!['shared-file-B'] = r(0, 0);
    expect(kindOf('G1', i)).toBe('holds');
    i.runs['the-right-way']!['kafka-transactions'] = r(0, 4);
    expect(kindOf('S', i)).toBe('holds');
  });

  test('a missing scenario gives "not measured", never a made-up verdict', () => {
    const i = inputs();
    delete i.runs['seek-replay'];
    expect(verdictFunctions.C1(i)).toMatchObject({ kind: 'not-measured', condition: { en: 'missing: seek-replay/resumes' } });
  });

  test('the terminal text and claims.md quote the original Chinese and carry the evidence', () => {
    const verdicts = judgeClaims(inputs());
    const text = renderClaims(verdicts, 'en');
    expect(text).toContain('原文：提交 offset 后，消费者将不会再拉取到已提交 offset 的数据。');
    expect(text).toContain('seek-replay · seek-back: lost 0, duplicated 500 (of 1000)');
    expect(renderClaims(verdicts, 'zh')).toContain('仅在');
    const md = claimsMarkdown(verdicts, { title: 't', notes: ['n'] });
    expect(md).toContain('> 如果你启用了自动提交');
    expect(md).toContain('**holds only when processing is handed off asynchronously');
  });
});
