/**
 * The state the state-snapshot strategy computes from the stream: count and sum of seq per
 * key (key = seq mod `keys`). Small on purpose: what matters is whether a crash makes it
 * count a message twice or not at all, and that shows in both numbers.
 */
export type KeyedState = Record<string, { count: number; sum: number }>;

export function addToState(state: KeyedState, seq: number, keys: number): void {
  const key = String(seq % keys);
  const entry = (state[key] ??= { count: 0, sum: 0 });
  entry.count += 1;
  entry.sum += seq;
}

export function stateOf(seqs: Iterable<number>, keys: number): KeyedState {
  const state: KeyedState = {};
  for (const seq of seqs) addToState(state, seq, keys);
  return state;
}

/** One state from per-partition states (each partition's messages are counted in its own). */
export function mergeStates(states: Iterable<KeyedState>): KeyedState {
  const merged: KeyedState = {};
  for (const state of states) {
    for (const [key, { count, sum }] of Object.entries(state)) {
      const entry = (merged[key] ??= { count: 0, sum: 0 });
      entry.count += count;
      entry.sum += sum;
    }
  }
  return merged;
}

export function totals(state: KeyedState): { count: number; sum: number } {
  return Object.values(state).reduce((t, e) => ({ count: t.count + e.count, sum: t.sum + e.sum }), { count: 0, sum: 0 });
}

/** Equal key by key; the detail names the keys that differ, or the totals when they agree. */
export function compareStates(actual: KeyedState, expected: KeyedState): { matches: boolean; detail: string } {
  const keys = [...new Set([...Object.keys(actual), ...Object.keys(expected)])].sort((a, b) => Number(a) - Number(b));
  const show = (e: { count: number; sum: number } | undefined) => (e ? `count ${e.count}, sum ${e.sum}` : 'absent');
  const differing = keys.filter((k) => actual[k]?.count !== expected[k]?.count || actual[k]?.sum !== expected[k]?.sum);
  const a = totals(actual);
  const e = totals(expected);
  if (differing.length === 0) {
    return { matches: true, detail: `snapshot equals the produced messages: ${keys.length} keys, count ${a.count}, sum ${a.sum}` };
  }
  const listed = differing.slice(0, 3).map((k) => `key ${k}: snapshot ${show(actual[k])}, expected ${show(expected[k])}`);
  const more = differing.length > 3 ? `; ${differing.length - 3} more keys differ` : '';
  return {
    matches: false,
    detail: `snapshot count ${a.count}, sum ${a.sum}; expected count ${e.count}, sum ${e.sum}; ${listed.join('; ')}${more}`,
  };
}
