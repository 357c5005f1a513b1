import type { Consumer } from 'kafkajs';
import type { Guarantee, Positions } from '../history/events.ts';

export type Text = { en: string; zh: string };

/** What the runner and the report know about a strategy, without running it. */
export interface StrategyInfo {
  name: string;
  claims: Guarantee;
  /** One line: how it saves its position. */
  summary: Text;
}

export interface StrategyRuntime {
  consumer: Consumer;
  topic: string;
  /** The run's folder: checkpoint files live here, one per strategy instance. */
  workDir: string;
  instance: string;
}

/** A strategy as it runs inside its own child process. */
export interface Strategy extends StrategyInfo {
  /** kafkajs' auto-commit: off, or on with an explicit interval. */
  autoCommit: false | { intervalMs: number };
  /** How the saved position is kept, for the history. */
  savedVia: 'kafka-commit' | 'auto-commit' | 'checkpoint-file';
  /**
   * Where this strategy resumes, when it keeps positions itself (read before joining the
   * group). undefined: Kafka's committed offsets decide, with earliest as the reset policy.
   */
  readResumePositions(): Positions | undefined;
  /**
   * Saves the positions (next offsets) after a batch; absent when kafkajs saves by itself.
   * `crashDuringSave`, when given, is called in the middle of the save (crash point
   * during-save) and never returns: a file write is then torn halfway.
   */
  save?(positions: Positions, crashDuringSave?: () => never): Promise<void>;
}
