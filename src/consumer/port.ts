import type { Positions } from '../history/events.ts';
import type { TransactionalProducer, TransactionalProducerSettings } from './transactions.ts';

/** One message as the consumer loop sees it. */
export interface Delivery {
  partition: number;
  offset: number;
  /** The message's number as the producer wrote it (decoded from the value). */
  seq: number;
}

/** What the Kafka client calls back into the consumer loop. */
export interface ConsumerHandlers {
  /**
   * The group gave this member these partitions. Called synchronously before the first fetch
   * of the new assignment, so a seek made inside it is in place before any message arrives.
   */
  onAssigned(partitions: number[], memberId: string): void;
  /** One fetched message; the client treats it as done when the returned promise resolves. */
  onMessage(delivery: Delivery): Promise<void>;
  /** The client committed these positions to Kafka (manual or automatic). */
  onCommitted(positions: Positions): void;
  /** The client gave up (it will not restart by itself). */
  onFatal(error: Error): void;
}

/** How the loop runs the client. */
export interface RunSettings {
  /** Off, or on every `intervalMs` (absent: the client's own default timing). */
  autoCommit: false | { intervalMs?: number };
  /** Where positions live: the group's commits (kafka) or the strategy's own store, applied by seeks (own). */
  positions: 'kafka' | 'own';
}

/**
 * The Kafka consumer as the loop needs it: small enough to fake in a unit test, and the seam
 * where a second client can stand in for kafkajs.
 */
export interface ConsumerPort {
  /** Joins the group on the topic and runs until disconnect; the returned promise resolves once running. */
  run(handlers: ConsumerHandlers, settings: RunSettings): Promise<void>;
  /** Queues a seek on an assigned partition; applied at the next fetch. */
  seek(partition: number, offset: number): void;
  pause(): void;
  resume(): void;
  commit(positions: Positions): Promise<void>;
  /** The group's committed offsets (partitions without one are absent). */
  committedOffsets(): Promise<Positions>;
  /** The topic's end offsets. */
  endOffsets(): Promise<Positions>;
  /**
   * Where, on a new assignment with positions in Kafka, the client starts a partition the group
   * has no commit for, one this member already read included: at the log start (kafkajs: a new
   * OffsetManager resolves it again to fromBeginning) or where it was (@platformatic/kafka keeps
   * its fetch position). With a commit, both start at the committed offset.
   */
  readonly uncommittedOnReassign: 'log-start' | 'where-it-was';
  disconnect(): Promise<void>;
  /**
   * Keeps the group membership alive while the strategy works on one message (a save, a
   * transaction). Absent: the client heartbeats by itself, whatever the handler is doing.
   */
  keepAlive?<T>(work: Promise<T>): Promise<T>;
  /**
   * A transactional producer on this client whose offsets commit for this consumer's group
   * (on @platformatic/kafka, with the membership this consumer fetched them under). Absent: no transactions.
   */
  transactionalProducer?(settings: TransactionalProducerSettings): TransactionalProducer;
}
