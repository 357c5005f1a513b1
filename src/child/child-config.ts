import type { CrashPlan, Positions } from '../history/events.ts';
import type { StrategyName } from '../strategies/registry.ts';
import type { StrategyOptions } from '../strategies/strategy.ts';

/** Everything a strategy process needs, passed by the supervisor as JSON. */
export interface ChildConfig {
  strategy: StrategyName;
  options: StrategyOptions;
  /** Unique per strategy instance in the run; names its history and checkpoint files. */
  instance: string;
  incarnation: number;
  brokers: string[];
  topic: string;
  groupId: string;
  workDir: string;
  historyPath: string;
  /** Saving unit: the strategy saves after every `batchSize` processed messages. */
  batchSize: number;
  /** Kill this process with SIGKILL at this point (first incarnation of a crash scenario). */
  crash?: CrashPlan;
  /**
   * Freeze at this message, before its batch save: the supervisor SIGSTOPs the process and
   * lets it continue (SIGCONT) once the rest of its group has taken over and finished.
   */
  freeze?: { atProcessed: number };
  /** Hold at this message, after processing it, until the supervisor says continue (a fault happens meanwhile). */
  holdAt?: number;
  /** Exit cleanly once every partition is read up to these end offsets (the drain). */
  drainTo?: Positions;
  /** First offset in the log per partition: where "earliest" resumes. */
  logStart: Positions;
  /** Consumer session timeout: what every restart waits for after a SIGKILL. */
  sessionTimeoutMs: number;
  /**
   * Members of a shared group: stay paused after joining until the supervisor says "go",
   * i.e. until every member has its share of the partitions. Otherwise the first member to
   * join would consume everything until the others arrive, and the counts would depend on
   * process start-up times.
   */
  waitForGo?: boolean;
  /** An external cluster's TLS/SASL settings are read from the inherited environment (never argv). */
  securityFromEnv: boolean;
}

/** Messages from a strategy process to the supervisor (IPC). */
/** Messages from the supervisor to a strategy process. */
export type SupervisorMessage = { type: 'go' } | { type: 'continue' };

export type ChildMessage =
  | { type: 'joined'; partitions: number[] }
  | { type: 'progress'; processed: number }
  /** About to freeze: the supervisor answers with SIGSTOP, later SIGCONT and 'continue'. */
  | { type: 'hold' }
  | { type: 'harness-artifact'; message: string };
