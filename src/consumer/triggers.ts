import type { ChildMessage, LifePoint, SupervisorMessage, Trigger } from './protocol.ts';

/** The IPC channel to the supervisor. */
export interface SupervisorChannel {
  send(message: ChildMessage): void;
  /** Registers the receiver of the supervisor's messages. */
  receive(handler: (message: SupervisorMessage) => void): void;
}

/**
 * A process's triggers: which are due at a point of its life (each fires once), and the
 * hold handshake with the supervisor (`reached`, then wait for `continue` with the same id).
 */
export class Triggers {
  readonly #all: readonly Trigger[];
  readonly #channel: SupervisorChannel;
  readonly #fired = new Set<string>();
  readonly #waiting = new Map<string, () => void>();
  /** The message numbers any trigger names: the per-message test is one set lookup. */
  readonly #atMessages: Set<number>;

  constructor(triggers: readonly Trigger[], channel: SupervisorChannel) {
    for (const t of triggers) {
      if (t.point === 'joined' && t.action === 'die') throw new Error(`trigger ${t.id}: die at joined is not supported`);
      if (t.point === 'during-save' && t.liveHold) throw new Error(`trigger ${t.id}: a save cannot hold halfway, live or not`);
      if (t.point === 'during-save' && t.action === 'hold') throw new Error(`trigger ${t.id}: a save cannot hold halfway; hold at mid-batch or after-save`);
      if (t.point !== 'joined' && !(Number.isInteger(t.atProcessed) && t.atProcessed! >= 1)) {
        throw new Error(`trigger ${t.id}: ${t.point} needs atProcessed, a message number from 1`);
      }
    }
    this.#all = triggers;
    this.#atMessages = new Set(triggers.flatMap((t) => (t.atProcessed === undefined ? [] : [t.atProcessed])));
    this.#channel = channel;
    channel.receive((message) => {
      if (message.type !== 'continue') return;
      const resolve = this.#waiting.get(message.trigger);
      this.#waiting.delete(message.trigger);
      resolve?.();
    });
  }

  /** Whether a trigger names message `n` (then `due` says which, at which point). */
  mayFireAt(n: number): boolean {
    return this.#atMessages.has(n);
  }

  /** The triggers at this point (and message number) that have not fired yet; from now on they have. */
  due(point: LifePoint, atProcessed?: number): Trigger[] {
    const due = this.#all.filter((t) => t.point === point && (point === 'joined' || t.atProcessed === atProcessed) && !this.#fired.has(t.id));
    for (const t of due) this.#fired.add(t.id);
    return due;
  }

  /** Tells the supervisor this process reached a hold trigger and waits until told to continue. */
  async hold(trigger: Trigger, partitions?: number[]): Promise<void> {
    const continued = new Promise<void>((resolve) => this.#waiting.set(trigger.id, resolve));
    this.#channel.send({ type: 'reached', trigger: trigger.id, ...(partitions ? { partitions } : {}) });
    await continued;
  }
}

/** The supervisor's progress line: a count at most every 100 ms, not an IPC message per few messages. */
export class ProgressReport {
  readonly #channel: SupervisorChannel;
  #sentAt = 0;
  constructor(channel: SupervisorChannel) {
    this.#channel = channel;
  }
  count(processed: number): void {
    const now = Date.now();
    if (now - this.#sentAt < 100) return;
    this.#sentAt = now;
    this.#channel.send({ type: 'progress', processed });
  }
}
