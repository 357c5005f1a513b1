import type { Positions } from '../history/events.ts';
import type { StrategyChoice } from '../strategies/strategy.ts';
import type { ClientName } from './clients.ts';

/**
 * Points of a consumer's life where a fault can act. Message points count the messages this
 * process has processed (`atProcessed`, 1-based); `joined` is the first assignment.
 * - before-process: message n was fetched, nothing done with it yet;
 * - mid-batch: message n's effect is durable, its batch not saved yet;
 * - during-save: in the middle of the save that follows message n;
 * - after-save: the save that follows message n has returned.
 */
export type LifePoint = 'joined' | 'before-process' | 'mid-batch' | 'during-save' | 'after-save';

/**
 * What a consumer does when it reaches a point: die (SIGKILL itself: no finally, no goodbye)
 * or hold (tell the supervisor and wait for its `continue`; what happens meanwhile — a
 * SIGSTOP, a broker restart, a start line — is the fault's business).
 */
export interface Trigger {
  /** Given by the runner; the supervisor's `continue` names it. */
  id: string;
  point: LifePoint;
  /** For message points: the message number, counted by this process. */
  atProcessed?: number;
  action: 'die' | 'hold';
  /**
   * A hold at `mid-batch` that is a freeze (the supervisor SIGSTOPs the process meanwhile):
   * the process records a `frozen` event in its history before it says it reached the point.
   */
  record?: 'frozen';
  /**
   * The process stays a member of its group while it holds (it heartbeats): the fault waits
   * for something else first (the rest of the group finishing its own share). A `die` trigger
   * with a live hold dies when the supervisor says continue.
   */
  liveHold?: true;
}

/** Everything a strategy process needs, passed by the supervisor (validated on arrival). */
export interface ChildConfig {
  choice: StrategyChoice;
  /** The Kafka client the strategy runs on. */
  client: ClientName;
  /** Unique per strategy instance in the run; names its history and checkpoint files. */
  instance: string;
  /** The table row (group) the instance counts for. */
  row: string;
  incarnation: number;
  brokers: string[];
  topic: string;
  outputTopic?: string;
  groupId: string;
  workDir: string;
  historyPath: string;
  /** Saving unit: the strategy saves after every `batchSize` processed messages. */
  batchSize: number;
  /** What this process does at points of its life (first incarnation of a faulted instance). */
  triggers: Trigger[];
  /** Exit cleanly once every partition is read up to these end offsets (the drain). */
  drainTo: Positions;
  /** First offset in the log per partition: where "earliest" resumes. */
  logStart: Positions;
  /** Consumer session timeout: what every restart waits for after a SIGKILL. */
  sessionTimeoutMs: number;
  /** How often the consumer heartbeats (a tenth of the session unless the scenario says). */
  heartbeatIntervalMs: number;
  /** How long the process's kafkajs client retries a request nobody answers (scenario.retryWindowMs). */
  retryWindowMs: number;
  /** An external cluster's TLS/SASL settings are read from the inherited environment (never argv). */
  securityFromEnv: boolean;
}

/** Messages from a strategy process to the supervisor (IPC). */
export type ChildMessage =
  | { type: 'joined'; partitions: number[] }
  | { type: 'progress'; processed: number }
  /** Reached a hold trigger: waits for `continue` with the same id. */
  | { type: 'reached'; trigger: string; partitions?: number[] }
  | { type: 'harness-artifact'; message: string }
  /** Every partition of the current assignment is read to its end: this process finished its share. */
  | { type: 'idle' };

/** Messages from the supervisor to a strategy process. */
export type SupervisorMessage = { type: 'continue'; trigger: string };
