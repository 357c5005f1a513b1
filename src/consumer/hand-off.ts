import type { Delivery } from './port.ts';

/** Simulated work per message when processing is handed off to a queue. */
export const handedOffWorkMs = 2;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * Processing handed off to a queue: the client's handler only enqueues and returns (so the
 * client treats the message as done), and one worker does the work later, a message at a time.
 */
export class HandOffQueue {
  readonly #queue: Delivery[] = [];
  #working = false;
  readonly #work: (delivery: Delivery) => Promise<void>;
  readonly #failed: (error: Error) => void;

  constructor(work: (delivery: Delivery) => Promise<void>, failed: (error: Error) => void) {
    this.#work = work;
    this.#failed = failed;
  }

  push(delivery: Delivery): void {
    this.#queue.push(delivery);
    this.#drain().catch(this.#failed);
  }

  async #drain(): Promise<void> {
    if (this.#working) return;
    this.#working = true;
    while (this.#queue.length > 0) {
      const next = this.#queue.shift()!;
      await sleep(handedOffWorkMs);
      await this.#work(next);
    }
    this.#working = false;
  }
}
