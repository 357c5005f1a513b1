import { describe, expect, test } from 'vitest';
import type { HistoryEvent } from '../../src/history/events.ts';
import { unplannedRebalances } from '../../src/runner/rows.ts';

const joined = (strategy: string, incarnation: number, member: string | undefined, partitions = [0]): HistoryEvent => ({
  kind: 'joined',
  strategy,
  incarnation,
  partitions,
  resumeFrom: {},
  ...(member !== undefined && { member }),
  time: 0,
});
const frozen = (strategy: string, incarnation: number): HistoryEvent => ({ kind: 'frozen', strategy, incarnation, processedInIncarnation: 300, time: 0 });

describe('unplanned rebalances, from the members\' own joins', () => {
  test('without planned rebalances: every join of a process after its first', () => {
    const events = [joined('a', 1, 'm1'), joined('a', 1, 'm1'), joined('a', 2, 'm2'), joined('b', 1, 'm3')];
    expect(unplannedRebalances(events, 'a', undefined)).toBe(1);
    expect(unplannedRebalances(events, 'b', undefined)).toBe(0);
  });

  test('with planned rebalances: a live member that kept its id was only rebalanced', () => {
    // #2 alone, then #1 joins (planned), then #1 dies and #2 takes everything: one member id throughout.
    const events = [joined('g#2', 1, 'm2', [0, 1]), joined('g#2', 1, 'm2', [1]), joined('g#2', 1, 'm2', [0, 1])];
    expect(unplannedRebalances(events, 'g#2', 'expected')).toBe(0);
  });

  test('with planned rebalances: a live member that rejoined under a new id had been removed by the group', () => {
    // Seen under load: #1's heartbeats stopped for a whole session, the group removed it, it joined again.
    const events = [joined('g#1', 1, 'm1', [0, 2]), joined('g#1', 1, 'm1', [0, 2]), joined('g#1', 1, 'm1b', [0, 2])];
    expect(unplannedRebalances(events, 'g#1', 'expected')).toBe(1);
  });

  test('a frozen zombie is removed on purpose; a restarted process is a new member anyway', () => {
    const events = [joined('z#1', 1, 'm1'), frozen('z#1', 1), joined('z#1', 1, 'm1b'), joined('z#1', 2, 'm1c')];
    expect(unplannedRebalances(events, 'z#1', 'expected')).toBe(0);
  });

  test('histories without member ids, and faults that make members rejoin as new ones, flag nothing', () => {
    expect(unplannedRebalances([joined('g#1', 1, undefined), joined('g#1', 1, undefined)], 'g#1', 'expected')).toBe(0);
    expect(unplannedRebalances([joined('m', 1, 'm1'), joined('m', 1, 'm2')], 'm', 'any')).toBe(0);
  });
});
