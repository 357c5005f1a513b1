/**
 * The history: the contract between the runner, the strategy processes and the checker.
 * Every event is one JSON line. A strategy process appends its events synchronously, so
 * whatever it wrote before a SIGKILL is still there afterwards; the checker reads only
 * these files, never the memory of a dead process.
 */
import type { SavedVia } from '../strategies/strategy.ts';

export type Guarantee = 'at-most-once' | 'at-least-once' | 'effectively-once';

/** Partition → next offset to read (Kafka's convention: the committed offset is the next message). */
export type Positions = Record<number, number>;

/** Where a process can be killed: the message points of its life (src/consumer/protocol.ts). */
export type CrashPointName = 'before-process' | 'mid-batch' | 'during-save' | 'after-save';

/** Kill the process with SIGKILL at this point of its `atProcessed`-th message. */
export interface CrashPlan {
  point: CrashPointName;
  atProcessed: number;
}

export type HistoryEvent =
  /** The runner produced a message and the broker acknowledged it at this offset. */
  | { kind: 'produced'; partition: number; offset: number; seq: number }
  /** A strategy process started (incarnation 1 is the first, each restart adds one). */
  | { kind: 'started'; strategy: string; incarnation: number; pid: number; time: number }
  /**
   * The process joined its consumer group and knows where it resumes. `member`: the id the group
   * gave it (absent in histories written before it was recorded). A rebalance keeps a member's id;
   * a new one means the group had removed this member (its session expired) and it joined again.
   */
  | { kind: 'joined'; strategy: string; incarnation: number; partitions: number[]; resumeFrom: Positions; member?: string; time: number }
  /**
   * The side effect of processing one message: written to the strategy's durable sink before
   * the message counts as processed.
   */
  | { kind: 'processed'; strategy: string; incarnation: number; partition: number; offset: number; seq: number }
  /** The strategy saved its position (Kafka commit, auto-commit, checkpoint file). */
  | { kind: 'saved'; strategy: string; incarnation: number; via: SavedVia; positions: Positions; time: number }
  /** The process is about to kill itself with SIGKILL at a named crash point. */
  | { kind: 'crash'; strategy: string; incarnation: number; point: CrashPointName; processedInIncarnation: number; time: number }
  /** The strategy's own positions were missing or unreadable; it started at the log start or end instead. */
  | { kind: 'fallback'; strategy: string; incarnation: number; reason: 'missing' | 'unreadable'; detail?: string; policy: 'earliest' | 'latest'; time: number }
  /** Saving the position failed (e.g. Kafka rejected a commit from a member it had fenced off). */
  | { kind: 'save-failed'; strategy: string; incarnation: number; positions: Positions; error: string; time: number }
  /** The process froze itself (SIGSTOP from the supervisor) at this message, before saving. */
  | { kind: 'frozen'; strategy: string; incarnation: number; processedInIncarnation: number; time: number }
  /**
   * What survived the death of this incarnation, read by the runner after the process died and
   * before any fault changed the world or anything restarted: the group's committed offsets
   * (kafka, via admin) or the checkpoint file's content (file; {} when missing or unreadable).
   * The checker's crash windows use it, not what the killed process said it saved.
   */
  | { kind: 'survived'; strategy: string; incarnation: number; source: 'kafka' | 'file'; positions: Positions; time: number }
  /** The scenario injected a fault (lost file, deleted records, a frozen process …). */
  | { kind: 'fault'; description: string; time: number }
  /** The process reached the end offsets on every partition (drain phase). */
  | { kind: 'drained'; strategy: string; incarnation: number; time: number }
  /** The runner saw the process exit. */
  | { kind: 'exited'; strategy: string; incarnation: number; code: number | null; signal: string | null; time: number };

export type HistoryEventKind = HistoryEvent['kind'];
export type EventOf<K extends HistoryEventKind> = Extract<HistoryEvent, { kind: K }>;
