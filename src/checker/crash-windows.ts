import type { HistoryEvent, Positions } from '../history/events.ts';
import type { CrashWindow } from './check.ts';

/** What one process knew at its crash; judged once every `survived` event is known. */
interface AtCrash {
  incarnation: number;
  saved: Positions;
  processedTo: Positions;
  resumedFrom: Positions;
  held: number[];
}

/**
 * At each crash: compare what the dead process had processed with the position that survived
 * it — the `survived` event the runner wrote from the broker's committed offsets or the
 * checkpoint file, after the death and before any restart — on the partitions the process held
 * (or processed). Without a survived event (histories from before it existed, hand-written
 * tests) the last position saved before the crash stands in. With nothing kept, a partition
 * restarts from where this process resumed (the log start when it never saved). The difference
 * is what the next incarnation repeats or skips.
 *
 * A fold over one instance's events in order: its state is a few positions per partition,
 * whatever the number of messages.
 */
export class CrashWindowFold {
  #saved: Positions = {};
  #processedTo: Positions = {};
  #resumedFrom: Positions = {};
  #held: number[] = [];
  readonly #crashes: AtCrash[] = [];
  /** Incarnation → the positions that survived its death (the last such event wins). */
  readonly #survived = new Map<number, Positions>();

  add(e: HistoryEvent): void {
    if (e.kind === 'processed') {
      const to = this.#processedTo[e.partition];
      if (to === undefined || e.offset + 1 > to) this.#processedTo[e.partition] = e.offset + 1;
    } else if (e.kind === 'started') {
      this.#processedTo = {};
      this.#resumedFrom = {};
      this.#held = [];
    } else if (e.kind === 'joined') {
      this.#resumedFrom = e.resumeFrom;
      this.#held = e.partitions;
    } else if (e.kind === 'saved') {
      this.#saved = { ...this.#saved, ...e.positions };
    } else if (e.kind === 'survived') {
      this.#survived.set(e.incarnation, e.positions);
    } else if (e.kind === 'crash') {
      this.#crashes.push({ incarnation: e.incarnation, saved: this.#saved, processedTo: { ...this.#processedTo }, resumedFrom: this.#resumedFrom, held: this.#held });
    }
  }

  windows(): CrashWindow[] {
    return this.#crashes.map(({ incarnation, saved, processedTo, resumedFrom, held }) => {
      const fromBroker = this.#survived.get(incarnation);
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
      return { incarnation, processedNotSaved, savedNotProcessed };
    });
  }
}
