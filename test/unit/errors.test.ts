import { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError, KafkaJSSASLAuthenticationError } from 'kafkajs';
import { describe, expect, test } from 'vitest';
import { BoundaryError } from '../../src/boundary/parse.ts';
import { outcomeOf } from '../../src/cli/outcome.ts';
import {
  EnvironmentError,
  ExitCode,
  HarnessArtifactError,
  HarnessError,
  UserError,
  describeUserError,
  exitCodeForSignal,
  isEnvironmentFailure,
  runFailure,
} from '../../src/util/errors.ts';

const folders = ['results/crash-mid-batch/2026-11-25T10-00-00'];
const systemError = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:9092`), { code });
// kafkajs' types declare no constructor arguments for this one; its constructor takes the message.
const saslFailed = (message: string) => new (KafkaJSSASLAuthenticationError as unknown as new (m: string) => Error)(message);
const retriesExceeded = (cause: Error) => new KafkaJSNumberOfRetriesExceeded(cause, { retryCount: 5, retryTime: 100 });

describe('exit codes by cause', () => {
  test('the codes the usage text promises', () => {
    expect(ExitCode).toEqual({ ok: 0, unexpectedCounts: 1, usage: 2, environment: 3, harness: 4, interrupted: 130, terminated: 143 });
    expect(exitCodeForSignal('SIGINT')).toBe(130);
    expect(exitCodeForSignal('SIGTERM')).toBe(143);
  });

  test.each([
    ['an EnvironmentError', new EnvironmentError('Java was not found')],
    ['a refused connection', new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:1')],
    ['retries exhausted on a connection error', retriesExceeded(new KafkaJSConnectionError('Connection timeout'))],
    ['a SASL failure', saslFailed('SASL PLAIN authentication failed')],
    ['a system ECONNREFUSED', systemError('ECONNREFUSED')],
    ['a full disk, wrapped', new Error('could not write history', { cause: systemError('ENOSPC') })],
  ])('%s is the environment: exit 3', (_what, error) => {
    expect(isEnvironmentFailure(error)).toBe(true);
    const failure = runFailure(error, folders);
    expect(failure.exitCode).toBe(ExitCode.environment);
    if (!(error instanceof UserError)) {
      expect(failure.message).toBe(`the run failed: ${error.message}`);
      expect(failure.hint).toBe(`Files of this run, logs included: ${folders[0]}`);
    }
  });

  test.each([
    ['a harness artifact', new HarnessArtifactError('history-atomic.jsonl has 1 torn line(s)')],
    ['a history line that does not fit', new BoundaryError('history line 12: field "offset" must be a whole number, got "abc"')],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'offset')")],
    ['retries exhausted on a protocol error', retriesExceeded(new KafkaJSProtocolError('The group member needs to have a valid member id'))],
    ['something thrown that is not an Error', 'boom'],
  ])('%s is a harness error: exit 4, with the folder to report', (_what, error) => {
    expect(isEnvironmentFailure(error)).toBe(false);
    const failure = runFailure(error, folders);
    expect(failure).toBeInstanceOf(HarnessError);
    expect(failure.exitCode).toBe(ExitCode.harness);
    expect(failure.message).toMatch(/^harness error: .+ — this is a bug in kafka-offset-lab, not in your environment; please report it with the files in results\/crash-mid-batch\/2026-11-25T10-00-00$/);
    expect(describeUserError(failure)).toEqual([failure.message]);
  });

  test('a harness fault wrapped around a connection error is still ours', () => {
    const error = new HarnessArtifactError('seek raced the first fetch');
    Object.assign(error, { cause: new KafkaJSConnectionError('Connection error') });
    expect(runFailure(error, folders).exitCode).toBe(ExitCode.harness);
  });

  test('user errors keep their code; several folders are all named', () => {
    const usage = new UserError('--lang must be en or zh', { hint: 'Run with --help to see the options.' });
    expect(runFailure(usage, folders)).toBe(usage);
    expect(describeUserError(usage)).toEqual(['error: --lang must be en or zh', 'Run with --help to see the options.']);
    const failure = runFailure(new Error('x'), ['results/all/s', 'results/torn-checkpoint/s']);
    expect(failure.message).toContain('please report it with the files in results/all/s and results/torn-checkpoint/s');
  });
});

describe('the exit code of a finished run', () => {
  type Result = Parameters<typeof outcomeOf>[0][number];
  const result = (change: Partial<Result>): Result => ({
    scenario: 'crash-mid-batch',
    verdict: 'valid',
    problems: [],
    strategies: [],
    matchesPrediction: true,
    resultsDir: '/lab/results/crash-mid-batch/s',
    ...change,
  });
  const shown = (dir: string) => dir.replace('/lab/', '');

  test('0 as predicted, 1 when a count differs', () => {
    expect(outcomeOf([result({})], shown)).toEqual({ exitCode: ExitCode.ok });
    expect(outcomeOf([result({}), result({ verdict: 'invalid', matchesPrediction: false })], shown)).toEqual({ exitCode: ExitCode.unexpectedCounts });
  });

  test('an untrustworthy history is a harness error naming its problem and folder, even when the counts matched', () => {
    const problems = ['produced offsets are not contiguous on partition 0'];
    const outcome = outcomeOf([result({}), result({ scenario: 'torn-checkpoint', verdict: 'unknown', problems, resultsDir: '/lab/results/torn-checkpoint/s' })], shown);
    expect(outcome.exitCode).toBe(ExitCode.harness);
    expect(outcome.failure?.message).toBe(
      'harness error: the history of torn-checkpoint is not trustworthy (produced offsets are not contiguous on partition 0) — this is a bug in kafka-offset-lab, not in your environment; please report it with the files in results/torn-checkpoint/s',
    );
  });
});
