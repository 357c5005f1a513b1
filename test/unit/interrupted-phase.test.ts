import { describe, expect, test } from 'vitest';
import { explainPhaseFailure } from '../../src/runner/diagnose.ts';
import type { StartedBroker } from '../../src/broker/broker.ts';
import { ExitCode, UserError } from '../../src/util/errors.ts';

// Never reached: an aborted run is not diagnosed against the broker.
const broker = {} as StartedBroker;

describe('a phase stopped by Ctrl-C', () => {
  test('whatever step the abort reached, the run rejects with "interrupted" (exit 130), the step\'s error as its cause', async () => {
    const abort = new AbortController();
    abort.abort();
    // What a spawn, a timer or an admin call given the signal rejects with.
    const bare = new DOMException('This operation was aborted', 'AbortError');
    const error = await explainPhaseFailure(bare, { workDir: '/nonexistent', broker, phase: 'consume+crash', signal: abort.signal });
    expect(error).toBeInstanceOf(UserError);
    expect(error).toMatchObject({ message: 'interrupted', exitCode: ExitCode.interrupted, cause: bare });
  });

  test('a UserError of the phase is kept as it is', async () => {
    const abort = new AbortController();
    abort.abort();
    const own = new UserError('interrupted');
    expect(await explainPhaseFailure(own, { workDir: '/nonexistent', broker, phase: 'produce', signal: abort.signal })).toBe(own);
  });
});
