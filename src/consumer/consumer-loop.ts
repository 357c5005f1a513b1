import type { CrashPointName, HistoryEvent, Positions } from '../history/events.ts';
import type { ResumePlan } from '../strategies/strategy.ts';
import type { Delivery } from './port.ts';
import { HandOffQueue, sleep } from './hand-off.ts';
import { PartitionBook } from './partition-book.ts';
import { killSelf, type ConsumerLoopOptions } from './consumer-loop-options.ts';
import { ProgressReport, Triggers } from './triggers.ts';

export type { SupervisorChannel } from './triggers.ts';
export type { ConsumerLoopOptions, HistorySink } from './consumer-loop-options.ts';

export { handedOffWorkMs } from './hand-off.ts';

const done: Promise<void> = Promise.resolve();

/**
 * The life of one strategy process: resume where the strategy says, record every delivery
 * in the history before it counts as processed, save the strategy's way on batch boundaries,
 * act on its triggers (die or hold), and exit once drained to the end offsets.
 */
export class ConsumerLoop {
  readonly #o: ConsumerLoopOptions;
  readonly #die: () => never;
  readonly #exit: (code: number) => void;
  readonly #log: (line: string) => void;
  readonly #book: PartitionBook;
  #processed = 0;
  #joins = 0;
  #finishing = false;
  /** A harness artifact or a fatal error: nothing more is processed. */
  #stopped = false;
  /** A die trigger fired: nothing more is recorded (seen only when a test's `die` throws instead of killing). */
  #dead = false;
  /** The partitions of the current assignment, and whether this process said it finished them. */
  #assignment: number[] = [];
  #idleReported = false;
  /** A joined hold is waiting for its continue: later assignments stay paused too. */
  #joinHeld = false;
  readonly #triggers: Triggers;
  readonly #progress: ProgressReport;
  #startPlan: ResumePlan = { from: 'kafka' };
  /** The message being handled (both clients hand over the next only when it is done): #finish waits for it. */
  #handling: Promise<void> = done;
  readonly #handOff = new HandOffQueue(
    (delivery) => this.#handleOne(delivery),
    (error) => this.#fatal(error),
  );

  constructor(options: ConsumerLoopOptions) {
    this.#triggers = new Triggers(options.triggers, options.channel);
    this.#progress = new ProgressReport(options.channel);
    this.#o = options;
    this.#book = new PartitionBook(options.logStart, options.port.uncommittedOnReassign);
    this.#die = options.die ?? killSelf;
    this.#exit = options.exit ?? ((code) => process.exit(code));
    this.#log = options.log ?? ((line) => void process.stderr.write(`${line}\n`));
  }

  /** Opens the strategy, decides where to resume, and joins the group; resolves once consuming. */
  async run(): Promise<void> {
    const { port, strategy, incarnation } = this.#o;
    this.#record({ kind: 'started', ...this.#who(), pid: process.pid, time: Date.now() });
    await strategy.open?.();
    // Decided before joining, so the seek on assignment can be made synchronously.
    const plan = (this.#startPlan = strategy.resumePlan());
    if (plan.from === 'kafka') this.#book.committed = await port.committedOffsets();
    if (plan.from === 'fallback' && plan.policy === 'latest') this.#book.end = await port.endOffsets();
    if (plan.from === 'fallback' && incarnation > 1) {
      this.#record({ kind: 'fallback', ...this.#who(), reason: plan.reason, ...(plan.detail !== undefined ? { detail: plan.detail } : {}), policy: plan.policy, time: Date.now() });
    }
    await port.run(
      {
        onAssigned: (partitions, memberId) => this.#assigned(partitions, memberId),
        onMessage: (delivery) => this.#received(delivery),
        onCommitted: (positions) => {
          const via = strategy.autoCommit ? 'auto-commit' : 'kafka-commit';
          this.#record({ kind: 'saved', ...this.#who(), via, positions, time: Date.now() });
        },
        onFatal: (error) => this.#fatal(error, `consumer crashed: ${error.message}`),
      },
      { autoCommit: strategy.autoCommit, positions: plan.from === 'kafka' ? 'kafka' : 'own' },
    );
  }

  #who() {
    return { strategy: this.#o.instance, incarnation: this.#o.incarnation };
  }

  #record(event: HistoryEvent): void {
    if (!this.#dead) this.#o.history.append(event);
  }

  /** Synchronous: called before the first fetch of the assignment, so its seeks win the race. */
  #assigned(partitions: number[], memberId: string): void {
    const { port, strategy, channel } = this.#o;
    const holds = this.#triggers.due('joined');
    // Paused before the first fetch; resumed when the supervisor says continue.
    if (holds.length > 0 || this.#joinHeld) port.pause();
    if (holds.length > 0) this.#joinHeld = true;
    // Every later assignment asks the strategy again: its store may have moved (another member
    // saved), and open work of the old assignment (a transaction, unsaved results) is dropped.
    const plan = this.#joins++ === 0 ? this.#startPlan : strategy.resumePlan();
    for (const [p, offset] of Object.entries(this.#book.assign(partitions, plan))) port.seek(Number(p), offset);
    this.#assignment = partitions;
    this.#idleReported = false;
    this.#record({ kind: 'joined', ...this.#who(), partitions, resumeFrom: this.#book.resumeFrom, member: memberId, time: Date.now() });
    channel.send({ type: 'joined', partitions });
    if (holds.length > 0) {
      void (async () => {
        for (const trigger of holds) await this.#triggers.hold(trigger, partitions);
        this.#joinHeld = false;
        port.resume();
      })();
    }
    this.#finishIfDrained();
    // After a rebalance the client resumes every partition at the group's commits (PartitionBook):
    // only bookkeeping (the drain test, which waits for them) needs them, so fetching them late is harmless.
    if (this.#joins > 1 && this.#startPlan.from === 'kafka') {
      const join = this.#joins;
      port.committedOffsets().then((fresh) => {
        if (join !== this.#joins) return; // a newer assignment reads its own
        this.#book.refreshCommitted(fresh, partitions);
        this.#reportIdleIfDone();
        this.#finishIfDrained();
      }, (error: Error) => this.#fatal(error));
    }
  }

  /** Not async itself: the common path hands kafkajs the promise of #handle without another await. */
  #received(delivery: Delivery): Promise<void> {
    if (this.#finishing || this.#stopped) return done;
    const { partition, offset } = delivery;
    const start = this.#book.seekMissedBy(partition, offset);
    // A message before the seek point means the seek raced the first fetch: a harness bug, never a lesson.
    if (start !== undefined) {
      this.#artifact(`${this.#o.instance} received ${this.#o.topic}/${partition}@${offset} before its resume point ${start}`);
      return done;
    }
    if (this.#o.strategy.processing === 'handed-off') {
      this.#handOff.push(delivery);
      return done; // the client now considers the message done and may commit its offset
    }
    return this.#handleOne(delivery);
  }

  #handleOne(delivery: Delivery): Promise<void> {
    return (this.#handling = this.#handle(delivery));
  }

  /**
   * Processing one message: the whole life of a message inside the strategy. The harness's
   * own part is kept small (it is measured against plain kafkajs, `npm run bench`): no await
   * where no trigger is due, no drain test before a partition reaches its end, progress to the
   * supervisor at most every 100 ms.
   */
  async #handle(delivery: Delivery): Promise<void> {
    const { strategy, batchSize } = this.#o;
    const { partition, offset, seq } = delivery;
    const n = this.#processed + 1;
    // before-process strategies save the end of the batch they are about to process, never past the partition's end
    if (strategy.save && strategy.saveOrder === 'before-process' && this.#processed % batchSize === 0) {
      await this.#saveAt(n, { ...this.#book.next, [partition]: Math.min(offset + batchSize, this.#o.drainTo[partition] ?? Infinity) });
    }
    if (this.#triggers.mayFireAt(n)) await this.#reach('before-process', n);
    // The delivery, durable before the message counts as processed (and the effect itself when the strategy has no apply).
    this.#record({ kind: 'processed', strategy: this.#o.instance, incarnation: this.#o.incarnation, partition, offset, seq });
    const applied = strategy.apply?.(delivery);
    if (applied) await this.#alive(applied);
    this.#processed = n;
    this.#book.processed(partition, offset);
    if (this.#triggers.mayFireAt(n)) await this.#reach('mid-batch', n);
    if (strategy.save && strategy.saveOrder === 'after-process' && n % batchSize === 0) await this.#saveAt(n, { ...this.#book.next });
    if (n % 25 === 0) this.#progress.count(n);
    // Only this partition moved: the drain state can change only when it reached its end.
    if (offset + 1 >= (this.#o.drainTo[partition] ?? 0)) {
      this.#reportIdleIfDone();
      this.#finishIfDrained();
    }
  }

  /** Saves after (or, before-process, before) message `n`, with the during-save and after-save points. */
  async #saveAt(n: number, toSave: Positions): Promise<void> {
    const dies = this.#triggers.due('during-save', n).length > 0; // holds are refused at during-save
    await this.#save(toSave, dies ? () => this.#dieAt('during-save') : undefined);
    await this.#reach('after-save', n);
  }

  async #save(toSave: Positions, crashDuringSave?: () => never): Promise<void> {
    const { strategy } = this.#o;
    try {
      const saved = strategy.save?.(toSave, crashDuringSave);
      if (saved) await this.#alive(saved);
    } catch (error) {
      this.#record({ kind: 'save-failed', ...this.#who(), positions: toSave, error: (error as Error).message, time: Date.now() });
      // A refused save (a fenced zombie, a rejected commit) ends this process: going on would
      // process messages whose position can never be saved. The supervisor restarts it.
      this.#fatal(error as Error, `${this.#o.instance}: save refused: ${(error as Error).message}`);
      throw error;
    }
    // Kafka commits are recorded from the client's own commit event (onCommitted).
    if (strategy.savedVia !== 'kafka-commit' && strategy.savedVia !== 'auto-commit') {
      this.#record({ kind: 'saved', ...this.#who(), via: strategy.savedVia, positions: toSave, time: Date.now() });
    }
  }

  async #reach(point: Exclude<CrashPointName, 'during-save'>, n: number): Promise<void> {
    for (const trigger of this.#triggers.due(point, n)) {
      if (trigger.action === 'die' && !trigger.liveHold) this.#dieAt(point);
      if (trigger.record === 'frozen') this.#record({ kind: 'frozen', ...this.#who(), processedInIncarnation: this.#processed, time: Date.now() });
      const held = this.#triggers.hold(trigger);
      await (trigger.liveHold ? this.#alive(held) : held);
      if (trigger.action === 'die') this.#dieAt(point);
    }
  }

  /** Tells the supervisor once per assignment when every partition of it is read to its end. */
  #reportIdleIfDone(): void {
    if (this.#idleReported || this.#assignment.length === 0) return;
    if (!this.#book.reachedOn(this.#assignment, this.#o.drainTo)) return;
    this.#idleReported = true;
    this.#o.channel.send({ type: 'idle' });
  }

  /** Strategy work (not a harness hold) keeps the member's heartbeats going where the client needs it. */
  #alive<T>(work: Promise<T>): Promise<T> {
    return this.#o.port.keepAlive?.(work) ?? work;
  }

  #dieAt(point: CrashPointName): never {
    this.#record({ kind: 'crash', ...this.#who(), point, processedInIncarnation: this.#processed, time: Date.now() });
    this.#dead = true;
    return this.#die();
  }

  #finishIfDrained(): void {
    if (this.#book.reached(this.#o.drainTo)) setImmediate(() => this.#finish().catch((error: Error) => this.#fatal(error)));
  }

  async #finish(): Promise<void> {
    if (this.#finishing || this.#stopped) return;
    this.#finishing = true;
    // The drain can be found while a message is still being handled: after a rebalance the group's
    // commits arrive late (#assigned), maybe during the last batch's save. Saving beside that save
    // would use its Kafka transaction twice (seen: "Cannot continue to use transaction once ended").
    await this.#handling.catch(() => undefined);
    const { strategy, port } = this.#o;
    if (strategy.save && strategy.saveOrder === 'after-process' && Object.keys(this.#book.next).length > 0) await this.#save({ ...this.#book.next });
    this.#record({ kind: 'drained', ...this.#who(), time: Date.now() });
    await strategy.close?.();
    // Leaving the group is a courtesy: if the broker is unreachable right now, the group
    // notices the missing member after its session timeout anyway.
    await Promise.race([port.disconnect().catch(() => {}), sleep(5000)]);
    this.#exit(0);
  }

  #artifact(message: string): void {
    this.#stopped = true;
    this.#o.channel.send({ type: 'harness-artifact', message });
    this.#log(`harness artifact: ${message}`);
    this.#exit(70);
  }

  #fatal(error: Error, line = `${this.#o.instance}: ${error.stack ?? error.message}`): void {
    if (this.#dead) return;
    this.#stopped = true;
    this.#log(line);
    this.#exit(1);
  }
}
