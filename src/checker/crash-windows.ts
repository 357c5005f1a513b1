import type { HistoryEvent, Positions } from '../history/events.ts';
import type { CrashWindow } from './check.ts';

/**
 * At each crash: compare what the dead process had processed with the position that survived
 * it — the `survived` event the runner wrote from the broker's committed offsets or the
 * checkpoint file, after the death and before any restart — on the partitions the process held
 * (or processed). Without a survived event (histories from before it existed, hand-written
 * tests) the last position saved before the crash stands in. With nothing kept, a partition
 * restarts from where this process resumed (the log start when it never saved). The difference
 * is what the next incarnation repeats or skips.
 */
export function crashWindows(own: HistoryEvent[], survivedEvents: readonly HistoryEvent[]): CrashWindow[] {
  const survived = new Map<number, Positions>();
  for (const e of survivedEvents) if (e.kind === 'survived') survived.set(e.incarnation, e.positions);
  const windows: CrashWindow[] = [];
  let saved: Positions = {};
  let processedTo: Positions = {};
  let resumedFrom: Positions = {};
  let held: number[] = [];
  for (const e of own) {
    if (e.kind === 'started') {
      processedTo = {};
      resumedFrom = {};
      held = [];
    } else if (e.kind === 'joined') {
      resumedFrom = e.resumeFrom;
      held = e.partitions;
    } else if (e.kind === 'saved') {
      saved = { ...saved, ...e.positions };
    } else if (e.kind === 'processed') {
      processedTo[e.partition] = Math.max(processedTo[e.partition] ?? 0, e.offset + 1);
    } else if (e.kind === 'crash') {
      const fromBroker = survived.get(e.incarnation);
      const kept = fromBroker ?? saved;
      let processedNotSaved = 0;
      let savedNotProcessed = 0;
      const mine = fromBroker ? [...held, ...Object.keys(processedTo).map(Number)] : [...Object.keys(processedTo), ...Object.keys(saved)].map(Number);
      for (const p of new Set(mine)) {
        const done = processedTo[p] ?? resumedFrom[p] ?? 0;
        const position = kept[p] ?? 0;
        processedNotSaved += Math.max(0, done - position);
        savedNotProcessed += Math.max(0, position - done);
      }
      windows.push({ incarnation: e.incarnation, processedNotSaved, savedNotProcessed });
    }
  }
  return windows;
}
