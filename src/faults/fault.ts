import type { StartedBroker } from '../broker/broker.ts';
import type { Trigger } from '../consumer/protocol.ts';
import type { HistoryEvent } from '../history/events.ts';
import type { RunResources } from '../kafka/run-resources.ts';
import type { StrategyChoice } from '../strategies/strategy.ts';

/**
 * A fault, in the spirit of Jepsen's nemesis: a value a scenario lists. The runner knows
 * nothing of any particular fault; it asks each one, at the moments below, what it wants.
 * A new fault is one file implementing some of these hooks.
 */
export interface Fault {
  /** Short, for the report and errors. */
  readonly name: string;
  /**
   * What the fault needs of the broker: restartableBroker, the harness must be able to kill and
   * restart it (--broker local); cluster, it kills and restarts nodes of a cluster it started
   * (--broker cluster).
   */
  readonly requires?: { restartableBroker?: boolean; cluster?: boolean };
  /**
   * The points at which this instance's first process acts (die or hold); none: this fault
   * does not touch it. The runner gives each trigger its id.
   */
  triggers?(instance: FaultTarget): Array<Omit<Trigger, 'id'>>;
  /** An instance reached one of this fault's hold triggers; `live.proceed` lets it go on. */
  reached?(instance: string, trigger: Trigger, live: LiveContext): Promise<void> | void;
  /** An instance reported an assignment (every join, rebalances included). */
  joined?(instance: string, partitions: number[], live: LiveContext): void;
  /** Between the first phase and the restarts: change the world (files, records). Returns what it did. */
  beforeRestart?(context: BetweenContext): Promise<string[]>;
  /** Judges a first-phase exit of an instance this fault touches; undefined: not this fault's business. */
  judgeExit?(instance: string, exit: ProcessExit): ExitJudgement | undefined;
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** restart: the instance ended as the fault intended and is restarted to drain; done: it finished; a string: what went wrong. */
export type ExitJudgement = 'restart' | 'done' | { problem: string };

/** An instance as faults see it. */
export interface FaultTarget {
  name: string;
  /** Its row: instances sharing a consumer group share a row. */
  row: string;
  groupId: string;
  choice: StrategyChoice;
}

/** What a fault may use while the consumers run. */
export interface LiveContext {
  broker: StartedBroker;
  /** The run's topic (the one the consumers read). */
  topic: string;
  instances: readonly FaultTarget[];
  /** Lets a held instance go on. */
  proceed(instance: string, trigger: Trigger): void;
  /** SIGSTOP / SIGCONT an instance's current process. */
  signal(instance: string, signal: 'SIGSTOP' | 'SIGCONT'): void;
  /** Resolves when the instance's current process has exited. */
  exited(instance: string): Promise<void>;
  /** Resolves when the instance's current process has read every partition it was given to its end, or has exited. */
  finishedItsShare(instance: string): Promise<void>;
  /** Records what the fault did, in the history and the report. */
  note(description: string): void;
  /** The fault failed: the run stops with this error. */
  fail(error: unknown): void;
}

/** What a fault may use between the first phase and the restarts. */
export interface BetweenContext {
  workDir: string;
  topic: string;
  instances: readonly FaultTarget[];
  /** Path of an instance's checkpoint file. */
  checkpointPath(instance: string): string;
  /** What the first phase recorded, without the per-message events (produced, processed): joins, saves, crashes, exits … */
  history(): HistoryEvent[];
  /** Guarded destructive operations: only on this run's own topic. */
  resources: RunResources;
  /** The instance's restart joins a brand-new consumer group of this run (no committed offsets); returns its id. */
  moveToNewGroup(instance: string): string;
}
