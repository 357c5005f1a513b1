import { describe, expect, test } from 'vitest';
import { closest, parseCli, validateKnobs } from '../../src/cli/args.ts';
import crashMidBatch from '../../scenarios/crash-mid-batch.ts';
import { UserError } from '../../src/util/errors.ts';

const knobs = crashMidBatch.defaults;

describe('command line', () => {
  test('knob flags become numbers', () => {
    const options = parseCli(['crash-mid-batch', '--messages', '5000', '--partitions', '3', '--batch', '100', '--crash-after', '37']);
    expect(options.scenario).toBe('crash-mid-batch');
    expect(options.knobs).toEqual({ messages: 5000, partitions: 3, batch: 100, crashAfter: 37 });
  });

  test.each([
    [['x', '--messages', 'many'], /--messages must be a whole number, got "many"/],
    [['x', '--messages=-3'], /whole number/],
    [['x', '--frobnicate'], /Unknown option '--frobnicate'/],
    [['x', '--lang', 'fr'], /--lang must be en or zh/],
    [['a', 'b'], /one scenario at a time/],
  ])('%j is rejected with a clear message', (argv, message) => {
    expect(() => parseCli(argv)).toThrow(message);
    expect(() => parseCli(argv)).toThrow(UserError);
  });

  test.each([
    [{ partitions: 0 }, /--partitions must be between 1 and 64, got 0/],
    [{ crashAfter: 101 }, /--crash-after must be between 1 and the batch size 100, got 101/],
    [{ crashAfter: 0 }, /--crash-after must be between 1/],
    [{ messages: 0 }, /--messages must be between 1/],
    [{ batch: 0 }, /--batch must be at least 1/],
    [{ messages: 200 }, /the crash would come after message 237 .* only 200 messages/],
  ])('invalid knobs %j are explained', (change, message) => {
    expect(() => validateKnobs({ ...knobs, ...change })).toThrow(message);
  });

  test('valid knobs pass through unchanged', () => {
    expect(validateKnobs({ ...knobs, crashAfter: 100 })).toEqual({ ...knobs, crashAfter: 100 });
  });

  test('a misspelt scenario name finds the closest one', () => {
    expect(closest('crash-mid-bach', ['crash-mid-batch', 'torn-checkpoint'])).toBe('crash-mid-batch');
  });
});
