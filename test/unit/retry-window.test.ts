import { describe, expect, test } from 'vitest';
import { defaultRetryWindowMs, retriesFor } from '../../src/kafka/client.ts';

describe('retriesFor: how many kafkajs retries cover a window', () => {
  test('the default window is the ten retries the strategy processes always had (~13 s)', () => {
    expect(retriesFor(defaultRetryWindowMs)).toEqual({ retries: 10, maxRetryTime: 2000 });
  });

  test('five doubling waits (3.1 s), then 2 s each: 30 s takes 19 retries, a short window fewer', () => {
    expect(retriesFor(30_000).retries).toBe(19); // 3.1 s + 14 × 2 s = 31.1 s
    expect(retriesFor(3_100).retries).toBe(5);
    expect(retriesFor(100).retries).toBe(1);
  });
});
