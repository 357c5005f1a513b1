import type { Trigger } from '../consumer/protocol.ts';
import type { Fault, FaultTarget, LiveContext } from './fault.ts';

/**
 * Not a fault but the same shape: the members of a shared consumer group wait at the start
 * line. Each joins paused, and all are let go together once their latest assignments split
 * every partition between them. Without it the first member to join would consume alone
 * until the others arrive, and the counts would depend on process start-up times.
 */
export function startLine(instances: readonly FaultTarget[], partitionCount: number): Fault {
  const rows = new Map<string, string[]>();
  for (const i of instances) rows.set(i.row, [...(rows.get(i.row) ?? []), i.name]);
  const shared = (name: string) => (rows.get(rowOf(name)) ?? []).length > 1;
  const rowOf = (name: string) => instances.find((i) => i.name === name)?.row ?? name;
  const assignments = new Map<string, number[]>();
  const waiting = new Map<string, Trigger>();
  const released = new Set<string>();

  return {
    name: 'start line',
    triggers: (instance) => (shared(instance.name) ? [{ point: 'joined', action: 'hold' }] : []),
    joined: (instance, partitions, live) => {
      assignments.set(instance, partitions);
      tryRelease(rowOf(instance), live);
    },
    reached: (instance, trigger, live) => {
      waiting.set(instance, trigger);
      if (released.has(rowOf(instance))) live.proceed(instance, trigger);
      else tryRelease(rowOf(instance), live);
    },
  };

  function tryRelease(row: string, live: LiveContext): void {
    if (released.has(row)) return;
    const members = rows.get(row) ?? [];
    if (members.length < 2) return;
    const taken = members.flatMap((m) => assignments.get(m) ?? []);
    const everyoneWaitsWithWork = members.every((m) => waiting.has(m) && (assignments.get(m)?.length ?? 0) > 0);
    const splitExactly = taken.length === partitionCount && new Set(taken).size === partitionCount;
    if (!everyoneWaitsWithWork || !splitExactly) return;
    released.add(row);
    for (const m of members) live.proceed(m, waiting.get(m)!);
  }
}
