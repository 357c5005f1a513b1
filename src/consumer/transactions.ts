import type { Positions } from '../history/events.ts';

/**
 * Kafka transactions as the kafka-transactions strategy needs them, one implementation per
 * client (kafkajs-transactions.ts, platformatic-transactions.ts). A port makes the producer,
 * because on @platformatic/kafka the offsets sent in a transaction carry the group membership
 * of the consumer that fetched them: it must be the port's own consumer.
 */
export interface TransactionalProducerSettings {
  transactionalId: string;
  /** How long the broker lets a transaction stay open before it aborts it. */
  transactionTimeoutMs: number;
}

export interface TransactionalProducer {
  /**
   * Begins a transaction. The producer's first one sends InitProducerId with the
   * transactional id: it bumps the id's epoch (fencing any older producer of it) and aborts
   * that producer's open transaction, and returns only once that abort is complete.
   */
  begin(): Promise<OpenTransaction>;
  /** Lets the producer go; a transaction still open is left to the broker (abort it first). */
  close(): Promise<void>;
}

export interface OutputRecord {
  key: string;
  value: string;
}

export interface OpenTransaction {
  send(topic: string, records: OutputRecord[]): Promise<void>;
  /** Adds the input positions (next offsets per partition of `topic`) to the transaction as the group's commits. */
  sendOffsets(topic: string, positions: Positions): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/** Who refused the transaction: the transactional id's newer epoch, or the group (KIP-447). */
export type FencedBy = 'transactional-id' | 'group';

/** A transaction refused because another producer or another group member owns the work now. */
export class TransactionFencedError extends Error {
  readonly by: FencedBy;
  /** Kafka's error code name, e.g. PRODUCER_FENCED or UNKNOWN_MEMBER_ID. */
  readonly code: string;
  constructor(by: FencedBy, code: string, cause: unknown) {
    super(by === 'group' ? `the group refused the transactional offset commit (${code})` : `another producer initialised the same transactional id (${code})`, { cause });
    this.name = 'TransactionFencedError';
    this.by = by;
    this.code = code;
  }
}

const fencedBy: Record<string, FencedBy> = {
  INVALID_PRODUCER_EPOCH: 'transactional-id',
  PRODUCER_FENCED: 'transactional-id',
  UNKNOWN_MEMBER_ID: 'group',
  ILLEGAL_GENERATION: 'group',
  FENCED_INSTANCE_ID: 'group',
};

/**
 * Finds a fencing error code anywhere in a client's error: kafkajs names it `type` (and wraps
 * retried errors in `cause`), @platformatic/kafka `apiId` (inside `errors` of MultipleErrors).
 */
function fencingCode(error: unknown, depth = 0): string | undefined {
  if (typeof error !== 'object' || error === null || depth > 5) return undefined;
  const e = error as { type?: unknown; apiId?: unknown; cause?: unknown; errors?: unknown };
  for (const code of [e.type, e.apiId]) if (typeof code === 'string' && code in fencedBy) return code;
  for (const inner of [e.cause, ...(Array.isArray(e.errors) ? e.errors : [])]) {
    const found = fencingCode(inner, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** Runs a transaction step; a fencing error comes out as a TransactionFencedError, anything else as it was. */
export async function classified<T>(step: Promise<T>): Promise<T> {
  try {
    return await step;
  } catch (error) {
    const code = fencingCode(error);
    throw code ? new TransactionFencedError(fencedBy[code]!, code, error) : error;
  }
}
