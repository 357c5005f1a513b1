import type { Consumer } from 'kafkajs';
import type { Guarantee, Positions } from '../history/events.ts';

export type Text = { en: string; zh: string };

/**
 * Knobs that turn a strategy into a variant isolating one decision (issue: catalogue).
 * Each applies to one strategy; the others ignore it.
 */
export interface StrategyOptions {
  /** manual-commit: commit after processing a batch (default) or before processing it. */
  commitOrder?: 'after-process' | 'before-process';
  /** manual-commit: commit offset+1 (the next message, correct) or the processed offset (off by one). */
  commitOffset?: 'next' | 'processed';
  /** auto-commit: await the work in eachMessage (default) or hand it off to a queue and return. */
  processing?: 'awaited' | 'handed-off';
  /** file-checkpoint: write the file in place (default) or atomically (temp file, fsync, rename, fsync dir). */
  write?: 'in-place' | 'atomic';
  /** file-checkpoint: where to start on a restart when the file is missing or unreadable. */
  fallback?: 'earliest' | 'latest';
  /** file-checkpoint: file name in the run folder, to make two instances share one file by mistake. */
  checkpointFile?: string;
}

/** What the runner and the report know about a strategy, without running it. */
export interface StrategyInfo {
  /** The base strategy: auto-commit, manual-commit, file-checkpoint. */
  name: string;
  claims: Guarantee;
  /** One line: how it saves its position. */
  summary: Text;
}

export interface StrategyRuntime {
  consumer: Consumer;
  topic: string;
  /** The run's folder: checkpoint files live here. */
  workDir: string;
  instance: string;
  incarnation: number;
}

/** Where a process resumes, decided before it joins the group. */
export type ResumePlan =
  /** Kafka's committed offsets decide (earliest when the group has none). */
  | { from: 'kafka' }
  | { from: 'checkpoint'; positions: Positions }
  /** The strategy's own positions are missing or unreadable: start at the log start or end. */
  | { from: 'fallback'; reason: 'missing' | 'unreadable'; detail?: string; policy: 'earliest' | 'latest' };

/** A strategy as it runs inside its own child process. */
export interface Strategy extends StrategyInfo {
  /** kafkajs' auto-commit: off, or on with an explicit interval. */
  autoCommit: false | { intervalMs: number };
  /** handed-off: eachMessage queues the work and returns before it is done. */
  processing: 'awaited' | 'handed-off';
  /** after-process: save the processed position after each batch; before-process: save the batch's end before processing it. */
  saveOrder: 'after-process' | 'before-process';
  /** How the saved position is kept, for the history. */
  savedVia: 'kafka-commit' | 'auto-commit' | 'checkpoint-file';
  readResumePlan(): ResumePlan;
  /**
   * Saves the positions (next offsets); absent when kafkajs saves by itself.
   * `crashDuringSave`, when given, is called in the middle of the save (crash point
   * during-save) and never returns: a file write is then torn halfway.
   */
  save?(positions: Positions, crashDuringSave?: () => never): Promise<void>;
}
