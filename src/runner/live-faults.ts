import type { StartedBroker } from '../broker/broker.ts';
import type { ChildMessage, Trigger } from '../consumer/protocol.ts';
import type { ExitJudgement, Fault, LiveContext, ProcessExit } from '../faults/fault.ts';
import type { JsonlWriter } from '../history/jsonl.ts';
import type { Instance } from './instances.ts';
import type { RunningChild } from './supervisor.ts';

/**
 * The runner's side of the faults while the consumers run: routes what the processes report
 * to the fault that owns it, gives the faults their LiveContext, and judges exits.
 */
export class LiveFaults {
  /** Descriptions of what the faults did while the consumers ran. */
  readonly notes: string[] = [];
  /** Harness artifacts reported by the processes: never a lesson, always an error. */
  readonly artifacts: string[] = [];
  failure: unknown;
  private readonly children = new Map<string, RunningChild>();
  private readonly context: LiveContext;
  readonly #inFlight = new Set<Promise<void>>();
  private readonly faults: readonly Fault[];
  private readonly ownerOf: Map<string, Fault>;
  private readonly instances: readonly Instance[];
  /** For the stall watch: the last message, start or continue of any process, and who holds at a trigger. */
  #lastSignOfLife = performance.now();
  readonly #holding = new Set<string>();
  /** Processes that said they finished their share, and faults waiting for that. */
  readonly #idle = new WeakSet<RunningChild>();
  readonly #idleWaiters = new Map<RunningChild, Array<() => void>>();

  constructor(
    { faults, ownerOf, instances, broker, topic, history, onFailure }: {
      faults: readonly Fault[];
      ownerOf: Map<string, Fault>;
      instances: readonly Instance[];
      broker: StartedBroker;
      topic: string;
      /** The runner's history: what the faults did goes there. */
      history: JsonlWriter;
      /** A fault failed: stop every process. */
      onFailure: () => void;
    },
  ) {
    this.faults = faults;
    this.ownerOf = ownerOf;
    this.instances = instances;
    this.context = {
      broker,
      topic,
      instances,
      proceed: (instance, trigger) => {
        this.#holding.delete(instance);
        this.touch();
        this.children.get(instance)?.send({ type: 'continue', trigger: trigger.id });
      },
      signal: (instance, signal) => this.children.get(instance)?.signal(signal),
      exited: async (instance) => void (await this.children.get(instance)?.exited),
      finishedItsShare: (instance) => {
        const child = this.children.get(instance);
        if (child === undefined || this.#idle.has(child)) return Promise.resolve();
        return new Promise<void>((resolve) => {
          const gone = () => resolve();
          void child.exited.then(gone, gone);
          this.#idleWaiters.set(child, [...(this.#idleWaiters.get(child) ?? []), resolve]);
        });
      },
      note: (description) => {
        this.notes.push(description);
        history.append({ kind: 'fault', description, time: Date.now() });
      },
      fail: (error) => {
        this.failure ??= error;
        onFailure();
      },
    };
  }

  track(child: RunningChild): void {
    this.children.set(child.instance, child);
    this.touch();
    const gone = () => {
      this.#holding.delete(child.instance);
      this.touch();
    };
    void child.exited.then(gone, gone);
  }

  /** Something happened (a process started, spoke, was let go, or exited). */
  touch(): void {
    this.#lastSignOfLife = performance.now();
  }

  /** performance.now(): monotonic, so a step of the machine's clock is no silence. */
  lastSignOfLife(): number {
    return this.#lastSignOfLife;
  }

  /** A fault holds a process (a freeze, a broker outage): its silence is the fault's business. */
  anyHolding(): boolean {
    return this.#holding.size > 0;
  }

  onMessage(instance: string, message: ChildMessage): void {
    this.touch();
    if (message.type === 'reached') this.#holding.add(instance);
    if (message.type === 'idle') this.idle(instance);
    if (message.type === 'harness-artifact') this.artifacts.push(message.message);
    if (message.type === 'joined') for (const fault of this.faults) fault.joined?.(instance, message.partitions, this.context);
    if (message.type === 'reached') this.reached(instance, message.trigger);
  }

  /** A first-phase exit, as the faults that touch the instance judge it; otherwise only a clean drain is fine. */
  judgeFirstExit(instance: string, exit: ProcessExit): ExitJudgement {
    for (const fault of this.faults) {
      const judged = fault.judgeExit?.(instance, exit);
      if (judged !== undefined) return judged;
    }
    return judgeDrain(instance, exit);
  }

  /** The instance's current process finished its share: wake whoever waits for that. */
  private idle(instance: string): void {
    const child = this.children.get(instance);
    if (child === undefined) return;
    this.#idle.add(child);
    for (const resolve of this.#idleWaiters.get(child) ?? []) resolve();
    this.#idleWaiters.delete(child);
  }

  private reached(instance: string, id: string): void {
    const trigger: Trigger | undefined = this.instances.find((i) => i.name === instance)?.triggers.find((t) => t.id === id);
    const fault = this.ownerOf.get(id);
    if (!trigger || !fault?.reached) return this.context.fail(new Error(`${instance} reached an unknown trigger ${id}`));
    const work = Promise.resolve(fault.reached(instance, trigger, this.context)).catch((error: unknown) => this.context.fail(error));
    this.#inFlight.add(work);
    void work.finally(() => this.#inFlight.delete(work));
  }

  /**
   * Resolves when every fault's work started by a hold has finished: a fault may outlive the
   * processes it held (a broker node brought back after the consumers drained), and the next
   * phase must not begin in the middle of it.
   */
  async settled(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all([...this.#inFlight]);
  }
}

/** A process with nothing planned for it must drain and exit 0. */
export function judgeDrain(instance: string, exit: ProcessExit): ExitJudgement {
  return exit.code === 0 ? 'done' : { problem: `${instance} did not drain cleanly (${exit.signal ?? `code ${exit.code}`})` };
}
