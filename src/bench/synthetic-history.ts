import type { HistoryEvent } from '../history/events.ts';

/**
 * A history of the size a big run leaves, built in memory for the checker's benchmark:
 * `messages` produced over `partitions`, each of `rows` consumers crashing once after
 * `crashAt` messages and replaying from its last save (every `batch`). Events ≈ messages ×
 * (1 + rows) + the replays.
 */
export function syntheticHistory({ messages, partitions, rows, batch, crashAt }: { messages: number; partitions: number; rows: number; batch: number; crashAt: number }): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  const at = (n: number) => ({ partition: (n - 1) % partitions, offset: Math.floor((n - 1) / partitions) });
  for (let n = 1; n <= messages; n++) events.push({ kind: 'produced', ...at(n), seq: n });
  for (let r = 0; r < rows; r++) {
    const strategy = `row-${r}`;
    events.push({ kind: 'started', strategy, incarnation: 1, pid: 1, time: 0 });
    for (let n = 1; n <= crashAt; n++) events.push({ kind: 'processed', strategy, incarnation: 1, ...at(n), seq: n });
    events.push({ kind: 'crash', strategy, incarnation: 1, point: 'mid-batch', processedInIncarnation: crashAt, time: 0 });
    events.push({ kind: 'started', strategy, incarnation: 2, pid: 2, time: 0 });
    for (let n = Math.floor(crashAt / batch) * batch + 1; n <= messages; n++) events.push({ kind: 'processed', strategy, incarnation: 2, ...at(n), seq: n });
  }
  return events;
}
