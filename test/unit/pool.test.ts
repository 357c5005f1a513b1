import { describe, expect, test } from 'vitest';
import { scenarios } from '../../scenarios/index.ts';
import { expectedLength, longestFirst } from '../../src/runner/scenario.ts';
import { inPool } from '../../src/util/pool.ts';

describe('inPool', () => {
  test('never runs more than the limit at once, and keeps the order of the items', async () => {
    let running = 0;
    let most = 0;
    const results = await inPool([30, 10, 20, 5, 15], 2, async (ms, i) => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, ms));
      running--;
      return i * 10;
    });
    expect(results).toEqual([0, 10, 20, 30, 40]);
    expect(most).toBe(2);
  });

  test('a failure rejects', async () => {
    await expect(inPool([1, 2, 3], 3, async (n) => (n === 2 ? Promise.reject(new Error('two')) : n))).rejects.toThrow('two');
  });
});

describe('longestFirst', () => {
  test('the catalogue in `all` order: more processes first, ties in catalogue order', () => {
    const order = longestFirst(scenarios.map((scenario) => ({ scenario }))).map((p) => p.scenario.name);
    expect(order[0]).toBe('client-semantics'); // 14 instances
    const lengths = order.map((name) => expectedLength(scenarios.find((s) => s.name === name)!));
    expect(lengths).toEqual([...lengths].sort((a, b) => b - a));
    // equal lengths keep the catalogue's order
    const position = (name: string) => scenarios.findIndex((s) => s.name === name);
    for (let i = 1; i < order.length; i++) if (lengths[i] === lengths[i - 1]) expect(position(order[i]!)).toBeGreaterThan(position(order[i - 1]!));
    expect(new Set(order)).toEqual(new Set(scenarios.map((s) => s.name)));
  });
});
