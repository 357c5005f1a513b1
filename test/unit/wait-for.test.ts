import { describe, expect, test } from 'vitest';
import { waitFor } from '../../src/util/wait-for.ts';

describe('waitFor', () => {
  test('polls until the condition holds and returns its value', async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls >= 3 ? 'ready' : undefined), { maxWaitMs: 1000, intervalMs: 1, description: 'x' });
    expect(value).toBe('ready');
    expect(calls).toBe(3);
  });

  test('retries errors it may retry, and reports any other error at once', async () => {
    let calls = 0;
    const retriable = Object.assign(new Error('loading'), { retriable: true });
    const value = await waitFor(
      () => {
        if (++calls < 3) throw retriable;
        return 42;
      },
      { maxWaitMs: 1000, intervalMs: 1, description: 'x', retryOn: (e) => (e as { retriable?: boolean }).retriable === true },
    );
    expect(value).toBe(42);

    const began = performance.now();
    await expect(
      waitFor(() => Promise.reject(new Error('auth failed')), { maxWaitMs: 5000, intervalMs: 1, description: 'x', retryOn: () => false }),
    ).rejects.toThrow('auth failed');
    expect(performance.now() - began).toBeLessThan(1000);
  });

  test('gives up after maxWaitMs naming what it waited for and the last error', async () => {
    await expect(
      waitFor(() => Promise.reject(new Error('still down')), { maxWaitMs: 30, intervalMs: 5, description: 'the broker' }),
    ).rejects.toThrow(/timed out after 30 ms waiting for the broker \(last error: still down\)/);
  });
});
