/**
 * The retry settings of a transactional producer, so that a transaction per message measures
 * Kafka rather than a client's backoff.
 *
 * After EndTxn the coordinator still writes the commit markers; until they are written it
 * answers the next transaction's first AddPartitionsToTxn with CONCURRENT_TRANSACTIONS. The
 * Java client retries exactly that case after 20 ms (TransactionManager's
 * ADD_PARTITIONS_RETRY_BACKOFF_MS, "the previous transaction is still completing and we don't
 * want to wait too long"), other retries after retry.backoff.ms (100 ms). kafkajs 2.2.4 has no
 * such case: a failed send is retried by the producer's retrier after its initialRetryTime
 * (the lab's 100 ms), and only the whole producer's retry settings can change it. Measured with
 * scripts/measure/transaction-steps.ts on a local broker: a third to two thirds of back-to-back
 * transactions hit the error, and each one that did waited ~100 ms more than one that did not.
 */
import type { RetryOptions } from 'kafkajs';

/** The Java client's backoff for the previous transaction still completing. */
export const concurrentTransactionsBackoffMs = 20;

/** kafkajs' exponential factor (src/retry/defaults.js); the lab never changes it. */
const multiplier = 2;

export type FullRetry = Required<Pick<RetryOptions, 'retries' | 'initialRetryTime' | 'maxRetryTime'>>;

/** The time kafkajs waits in total before giving up, without its ±20% randomisation. */
export function retryWindowMs({ retries, initialRetryTime, maxRetryTime }: FullRetry): number {
  let total = 0;
  let wait = Math.min(initialRetryTime, maxRetryTime);
  for (let attempt = 0; attempt < retries; attempt++) {
    total += wait;
    wait = Math.min(wait * multiplier, maxRetryTime);
  }
  return total;
}

/**
 * The client's retry with a first wait of `firstWaitMs`, and as many more retries as it takes
 * to wait at least as long in total: a send during a broker restart is retried as long as before.
 */
export function transactionalRetry(client: FullRetry, firstWaitMs = concurrentTransactionsBackoffMs): FullRetry {
  if (firstWaitMs >= client.initialRetryTime) return { ...client };
  const window = retryWindowMs(client);
  const retry = { ...client, initialRetryTime: firstWaitMs };
  while (retryWindowMs(retry) < window) retry.retries++;
  return retry;
}

/** A producer's config on a client with `client` retry: transactional ones get transactionalRetry unless they set their own. */
export function withTransactionalRetry<C extends { transactionalId?: string; retry?: RetryOptions }>(config: C, client: FullRetry): C {
  if (config.transactionalId === undefined || config.retry !== undefined) return config;
  return { ...config, retry: transactionalRetry(client) };
}
