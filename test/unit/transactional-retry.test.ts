import { describe, expect, test } from 'vitest';
import { concurrentTransactionsBackoffMs, retryWindowMs, transactionalRetry, withTransactionalRetry } from '../../src/kafka/transactional-retry.ts';

// The consumer processes' client retry (src/consumer/child-main.ts).
const lab = { retries: 10, initialRetryTime: 100, maxRetryTime: 2000 };

describe('transactional producer retry (CONCURRENT_TRANSACTIONS after EndTxn)', () => {
  test('the window is the sum of the doubling waits, capped at maxRetryTime', () => {
    expect(retryWindowMs(lab)).toBe(100 + 200 + 400 + 800 + 1600 + 5 * 2000);
    expect(retryWindowMs({ retries: 3, initialRetryTime: 300, maxRetryTime: 30_000 })).toBe(300 + 600 + 1200);
    expect(retryWindowMs({ ...lab, retries: 0 })).toBe(0);
  });

  test("first wait as the Java client's, and a window at least as long as the client's", () => {
    const retry = transactionalRetry(lab);
    expect(retry.initialRetryTime).toBe(concurrentTransactionsBackoffMs);
    expect(retry.maxRetryTime).toBe(lab.maxRetryTime);
    expect(retryWindowMs(retry)).toBeGreaterThanOrEqual(retryWindowMs(lab));
    // One retry fewer would end sooner than the client's window: no more retries than needed.
    expect(retryWindowMs({ ...retry, retries: retry.retries - 1 })).toBeLessThan(retryWindowMs(lab));
  });

  test.each([
    { retries: 5, initialRetryTime: 300, maxRetryTime: 30_000 },
    { retries: 1, initialRetryTime: 100, maxRetryTime: 100 },
    { retries: 0, initialRetryTime: 100, maxRetryTime: 1000 },
    { retries: 20, initialRetryTime: 50, maxRetryTime: 500 },
  ])('other client settings keep their window: %o', (client) => {
    const retry = transactionalRetry(client);
    expect(retry.initialRetryTime).toBe(20);
    expect(retryWindowMs(retry)).toBeGreaterThanOrEqual(retryWindowMs(client));
    if (retry.retries > client.retries) expect(retryWindowMs({ ...retry, retries: retry.retries - 1 })).toBeLessThan(retryWindowMs(client));
  });

  test('a client that already waits less is left alone', () => {
    expect(transactionalRetry({ retries: 4, initialRetryTime: 10, maxRetryTime: 500 })).toEqual({ retries: 4, initialRetryTime: 10, maxRetryTime: 500 });
  });

  test('only transactional producers without their own retry get it', () => {
    const tx = withTransactionalRetry({ transactionalId: 'g-tx-0', idempotent: true }, lab);
    expect(tx).toEqual({ transactionalId: 'g-tx-0', idempotent: true, retry: transactionalRetry(lab) });
    const own = { transactionalId: 'g-tx-0', retry: { initialRetryTime: 300 } };
    expect(withTransactionalRetry(own, lab)).toBe(own);
    const plain: { idempotent: boolean; transactionalId?: string } = { idempotent: true };
    expect(withTransactionalRetry(plain, lab)).toBe(plain);
  });
});
