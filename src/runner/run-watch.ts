import type { ChildMessage } from '../consumer/protocol.ts';
import type { EventOf, HistoryEvent } from '../history/events.ts';
import { forEachEvent } from '../history/jsonl.ts';
import { perMessageKinds } from '../history/run-files.ts';

type State =
  | { kind: 'count'; processed: number }
  | { kind: 'waiting'; until: number }
  | { kind: 'ended'; text: string };

export interface RunWatchOptions {
  /** An instance's own history file (its crash and joined events are read from there). */
  historyPathOf: (instance: string) => string | undefined;
  /** The one-line progress text, per consumer. */
  onProgress?: (text: string) => void;
  /** What happened, as it happens: the runner's events, a killed process's crash, a restarted process's resume point. */
  onEvent?: (event: HistoryEvent) => void;
  now?: () => number;
}

/**
 * Watches a run for the people in front of it: per-consumer counts while consuming, a
 * countdown while a restarted consumer waits for its dead predecessor's session to expire
 * (the group hands out the partitions only then), and the significant events for step mode.
 * It only observes: nothing here waits, so nothing here can change a count.
 */
export class RunWatch {
  private readonly o: RunWatchOptions;
  private readonly now: () => number;
  private readonly states = new Map<string, State>();
  /** When each instance's last process died without leaving its group (not a clean exit). */
  private readonly diedAt = new Map<string, number>();
  private readonly joinsSeen = new Set<string>();
  private ticker: NodeJS.Timeout | undefined;

  constructor(options: RunWatchOptions) {
    this.o = options;
    this.now = options.now ?? Date.now;
  }

  /** An event the runner recorded (faults, exits). */
  runnerEvent(event: HistoryEvent): void {
    if (event.kind !== 'exited') return this.o.onEvent?.(event);
    const clean = event.code === 0;
    if (!clean) this.diedAt.set(event.strategy, event.time);
    this.states.set(event.strategy, { kind: 'ended', text: clean ? '✓ done' : event.signal === 'SIGKILL' ? '✕ killed' : `✕ exited (${event.signal ?? event.code})` });
    if (this.o.onEvent && !clean) {
      const crash = this.own(event.strategy, 'crash').findLast((e) => e.incarnation === event.incarnation);
      if (crash) this.o.onEvent(crash);
    }
    this.o.onEvent?.(event);
    this.render();
  }

  /** A message from a strategy process. */
  message(instance: string, message: ChildMessage): void {
    if (message.type === 'progress') this.states.set(instance, { kind: 'count', processed: message.processed });
    if (message.type === 'joined') {
      this.states.set(instance, { kind: 'count', processed: 0 });
      // Written to its history before the message was sent: the resume point of this join.
      const joined = this.o.onEvent ? this.own(instance, 'joined').at(-1) : undefined;
      if (joined) {
        const key = `${instance}#${joined.incarnation}`;
        // A restart's join, or a first process joining again (it took over partitions): a resume point.
        if (joined.incarnation > 1 || this.joinsSeen.has(key)) this.o.onEvent!(joined);
        this.joinsSeen.add(key);
      }
    }
    this.render();
  }

  /** A crashed instance starts again: until it joins, count down its predecessor's session. */
  restarting(instance: string, sessionTimeoutMs: number): void {
    const died = this.diedAt.get(instance);
    if (died === undefined) return;
    this.states.set(instance, { kind: 'waiting', until: died + sessionTimeoutMs });
    this.ticker ??= setInterval(() => this.render(), 200);
    this.ticker.unref();
    this.render();
  }

  /** A new phase: its consumers start from nothing. */
  phase(): void {
    this.states.clear();
    this.stopTicking();
  }

  stopTicking(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
  }

  /** The progress text now, e.g. "auto-commit 237 · manual-commit ✕ killed". */
  text(): string {
    return [...this.states].map(([instance, state]) => `${instance} ${this.describe(state)}`).join(' · ');
  }

  private describe(state: State): string {
    if (state.kind === 'count') return String(state.processed);
    if (state.kind === 'ended') return state.text;
    const left = state.until - this.now();
    return left > 0 ? `⏳ waits ${(left / 1000).toFixed(1)} s for the killed member's session` : '⏳ rejoining the group';
  }

  private render(): void {
    if (![...this.states.values()].some((s) => s.kind === 'waiting')) this.stopTicking();
    this.o.onProgress?.(this.text());
  }

  private own<K extends 'crash' | 'joined'>(instance: string, kind: K): EventOf<K>[] {
    const path = this.o.historyPathOf(instance);
    if (!path) return [];
    // Streamed, per-message lines skipped: at a crash the file can hold a million of them.
    const found: EventOf<K>[] = [];
    forEachEvent(path, (e) => void (e.kind === kind && e.strategy === instance && found.push(e as EventOf<K>)), perMessageKinds);
    return found;
  }
}
