import type { Guarantee, Positions } from '../history/events.ts';
import type { ConsumerPort, Delivery } from '../consumer/port.ts';
import type { Kafka } from 'kafkajs';
import type { ClientName } from '../consumer/clients.ts';

export type Text = { en: string; zh: string };

/*
 * Options per strategy: each variant isolates one decision. A discriminated union, so an
 * option of another strategy (`{ write: 'atomic' }` on manual-commit) does not compile.
 */
export interface AutoCommitOptions {
  /** Await the work in eachMessage (default) or hand it off to a queue and return at once. */
  processing?: 'awaited' | 'handed-off';
  /**
   * When the client commits: every 5 s (default, made explicit for both clients) or the
   * client's own default (kafkajs: after each processed batch; @platformatic/kafka: right
   * after each fetch, before the messages are consumed).
   */
  timing?: 'interval' | 'client-default';
}
export interface ManualCommitOptions {
  /** Commit after processing a batch (default) or commit the batch's end before processing it. */
  commitOrder?: 'after-process' | 'before-process';
  /** Commit offset+1, the next message (correct), or the processed offset (off by one, claim C3). */
  commitOffset?: 'next' | 'processed';
}
export interface FileCheckpointOptions {
  /** Write the file in place (default) or atomically (temp file, fsync, rename, fsync dir). */
  write?: 'in-place' | 'atomic';
  /** Where to start on a restart when the file is missing or unreadable. */
  fallback?: 'earliest' | 'latest';
  /**
   * What a crash during the save leaves in the file being written: `sigkill` (default) kills
   * the process after the file was opened for writing (truncated) and before its one small
   * write, the worst a killed process can leave; `power-loss` leaves half the new bytes, what
   * a power loss can leave of a write that was never fsynced (simulated: half written, then SIGKILL).
   */
  tornBy?: 'sigkill' | 'power-loss';
  /** File name in the run folder, to make two instances share one file by mistake. */
  checkpointFile?: string;
  /**
   * Also commit the same positions to Kafka after writing the file (so lag tools see
   * progress). It still resumes where its file says: its seek wins over the commit (claim C1).
   */
  commitToKafka?: boolean;
}

export interface AtomicStoreOptions {
  /** Also commit the stored positions to Kafka after each database commit, only for lag monitoring (Flink's way). */
  commitToKafka?: boolean;
}
/** No variants: at-least-once delivery into an upsert keyed by (topic, partition, offset). */
export type IdempotentSinkOptions = Record<string, never>;
export interface StateSnapshotOptions {
  /** The state counts and sums seq per key, key = seq mod `keys` (default 10). */
  keys?: number;
}
export interface KafkaTransactionsOptions {
  /** How long the broker lets a transaction stay open before aborting it (default 10 000 ms). */
  transactionTimeoutMs?: number;
  /**
   * The transactional id: derived from the input partition (default: a new owner of the
   * partition fences the old one by the id), or one per process (only the group can fence a
   * zombie then, and only on a client that sends its membership: KIP-447).
   */
  transactionalId?: 'per-partition' | 'per-process';
}

export interface StrategyOptionsByName {
  'auto-commit': AutoCommitOptions;
  'manual-commit': ManualCommitOptions;
  'file-checkpoint': FileCheckpointOptions;
  'atomic-store': AtomicStoreOptions;
  'idempotent-sink': IdempotentSinkOptions;
  'state-snapshot': StateSnapshotOptions;
  'kafka-transactions': KafkaTransactionsOptions;
}
export type StrategyName = keyof StrategyOptionsByName;

/** A strategy and its options, as a scenario names it. */
export type StrategyChoice = { [K in StrategyName]: { strategy: K; options?: StrategyOptionsByName[K] } }[StrategyName];

/** What the runner and the report know about a strategy, without running it. */
export interface StrategyInfo {
  /** The base strategy. */
  name: StrategyName;
  claims: Guarantee;
  /** One line: how it saves its position and its results. */
  summary: Text;
}

/** Where an instance's files live and what it reads; the same on both sides of the process boundary. */
export interface StrategyPlace {
  workDir: string;
  instance: string;
  /** The table row (the group) the instance belongs to: instances of one row may share a store. */
  row: string;
  topic: string;
  /** The run's output topic for this row, for strategies that write their results to Kafka. */
  outputTopic?: string;
}

export interface StrategyRuntime extends StrategyPlace {
  /** The consumer the loop runs: strategies that keep their position in Kafka commit through it (or make their transactional producer). */
  consumer: ConsumerPort;
  /** A kafkajs client for anything else the strategy needs. */
  kafka: Kafka;
  groupId: string;
  incarnation: number;
  /** The topic's partitions and end offsets (the drain target): a stored position outside them is refused. */
  topicEnds?: Positions;
}

/** Where a process resumes, decided before it joins the group (and again on later assignments). */
export type ResumePlan =
  /** Kafka's committed offsets decide (earliest when the group has none). */
  | { from: 'kafka' }
  /** The strategy's own store holds positions (a partition it does not know starts at the log start). */
  /**
   * The strategy's own store holds positions. `authoritative`: the store, not this process's
   * progress, decides on every assignment — work applied but not saved was dropped and must be
   * delivered again (a store that keeps results and offsets together).
   */
  | { from: 'checkpoint'; positions: Positions; authoritative?: boolean }
  /** The strategy's own positions are missing or unreadable: start at the log start or end. */
  | { from: 'fallback'; reason: 'missing' | 'unreadable'; detail?: string; policy: 'earliest' | 'latest' };

export type SavedVia = 'kafka-commit' | 'auto-commit' | 'checkpoint-file' | 'database' | 'transaction' | 'snapshot';

/** A strategy as it runs inside its own child process, driven by the consumer loop. */
export interface Strategy {
  /** The client's auto-commit: off, or on with an explicit interval (absent: the client's own default). */
  autoCommit: false | { intervalMs?: number };
  /** handed-off: eachMessage queues the work and returns before it is done. */
  processing: 'awaited' | 'handed-off';
  /** after-process: save the processed positions after each batch; before-process: save the batch's end before processing it. */
  saveOrder: 'after-process' | 'before-process';
  /** How a save is recorded in the history (Kafka commits are recorded from the client's own commit event). */
  savedVia: SavedVia;
  /** Prepares what the strategy needs (open a database, start a producer) before the consumer joins. */
  open?(): Promise<void>;
  /** Where to resume. Synchronous: it is read again on every assignment, before the first fetch. */
  resumePlan(): ResumePlan;
  /**
   * The effect of one message, after the loop recorded its delivery in the history. Absent:
   * the delivery record itself is the effect (the history file is the sink).
   */
  apply?(delivery: Delivery): void | Promise<void>;
  /**
   * Saves the positions (next offsets, per partition); absent when the client saves by
   * itself. `crashDuringSave`, when given, is called in the middle of the save and never
   * returns: what it leaves behind is what a SIGKILL at that moment leaves.
   */
  save?(positions: Positions, crashDuringSave?: () => never): Promise<void>;
  /** Releases what open() took, after a clean drain. */
  close?(): Promise<void>;
}

/** What most strategies share: no auto-commit, the work awaited in the handler, a save after each processed batch. */
export function savesAfterEachBatch(savedVia: SavedVia): Pick<Strategy, 'autoCommit' | 'processing' | 'saveOrder' | 'savedVia'> {
  return { autoCommit: false, processing: 'awaited', saveOrder: 'after-process', savedVia };
}

/** What a crash leaves of one message in an effect store: one row per effect, repeats included. */
export interface Effect {
  partition: number;
  offset: number;
  seq: number;
}

/**
 * What the runner reads back from a strategy's effect store after the run, from the store
 * itself (database file, output topic), never from the process that was killed.
 */
export interface EffectsReadBack {
  effects: Effect[];
  /** Where they were read from, for the report. */
  source: string;
  /** Derived state the strategy keeps (e.g. count and sum per key), checked against what was produced. */
  state?: { description: string; matches: boolean; detail: string };
}

/** What the runner needs to read a row's effects back. */
export interface EffectReadContext extends StrategyPlace {
  kafka: Kafka;
  /** Every message produced (partition, offset, seq), to compute expected state. */
  produced: readonly Effect[];
}

/** One strategy: its description, its life in the child process, and where its effects are kept. */
export interface StrategyModule<O> {
  describe(options: O): StrategyInfo;
  create(runtime: StrategyRuntime, options: O): Strategy;
  /** The row writes its results to an output topic the runner creates. */
  needsOutputTopic?: boolean;
  /**
   * Clients this variant cannot run on (a missing feature, or a guarantee the client cannot
   * give), with the reason the report shows; the runner does not start such a row.
   */
  unsupportedOn?(options: O): Partial<Record<ClientName, string>>;
  /**
   * Reads the row's effects back from where the strategy durably recorded them. Absent: the
   * history's processed events are the effects (deliveries and effects are the same thing).
   */
  readEffects?(context: EffectReadContext, options: O): Promise<EffectsReadBack>;
}
