import { describe, expect, test } from 'vitest';
import { classified, TransactionFencedError } from '../../src/consumer/transactions.ts';
import { unsupportedReason } from '../../src/strategies/registry.ts';

/** Errors shaped as each client throws them (kafkajs: `type`, retries in `cause`; platformatic: `apiId` inside `errors`). */
const kafkajsError = (type: string) => Object.assign(new Error('retries exhausted'), { cause: Object.assign(new Error(type), { type }) });
const platformaticError = (apiId: string) => Object.assign(new Error('commit failed 1 times'), { errors: [Object.assign(new Error('response'), { errors: [Object.assign(new Error(apiId), { apiId })] })] });

describe('transaction errors: who fenced', () => {
  test.each([
    [kafkajsError('INVALID_PRODUCER_EPOCH'), 'transactional-id', 'INVALID_PRODUCER_EPOCH'],
    [platformaticError('PRODUCER_FENCED'), 'transactional-id', 'PRODUCER_FENCED'],
    [platformaticError('UNKNOWN_MEMBER_ID'), 'group', 'UNKNOWN_MEMBER_ID'],
    [platformaticError('ILLEGAL_GENERATION'), 'group', 'ILLEGAL_GENERATION'],
  ])('%s', async (error, by, code) => {
    const thrown = await classified(Promise.reject(error)).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(TransactionFencedError);
    expect(thrown).toMatchObject({ by, code, cause: error });
  });

  test('any other error passes unchanged', async () => {
    const error = platformaticError('COORDINATOR_NOT_AVAILABLE');
    await expect(classified(Promise.reject(error))).rejects.toBe(error);
  });
});

describe('which kafka-transactions variants a client runs', () => {
  test('one transactional id per process is refused on kafkajs only: nothing would fence a zombie there', () => {
    const perProcess = { strategy: 'kafka-transactions', options: { transactionalId: 'per-process' } } as const;
    expect(unsupportedReason(perProcess, 'kafkajs')).toContain('TxnOffsetCommit v0–1');
    expect(unsupportedReason(perProcess, 'platformatic')).toBeUndefined();
    expect(unsupportedReason({ strategy: 'kafka-transactions' }, 'kafkajs')).toBeUndefined();
    expect(unsupportedReason({ strategy: 'kafka-transactions' }, 'platformatic')).toBeUndefined();
  });
});
