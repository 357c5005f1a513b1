import { describe, expect, test } from 'vitest';
import { closest, parseCli, type GivenKnobs } from '../../src/cli/args.ts';
import { listScenarios, scenarioHelp, usage } from '../../src/cli/help.ts';
import { resolveKnobs } from '../../src/cli/resolve-knobs.ts';
import { crashMessage, defineScenario, type AnyScenario } from '../../src/runner/scenario.ts';
import { UserError } from '../../src/util/errors.ts';

const nothingHappens = { instances: ['auto-commit' as const], faults: () => [], predict: () => ({}), lesson: () => [] };

/** Uses every knob: the generic cross-checks all apply. */
const crashy = defineScenario({
  name: 'crashy',
  summary: { en: 'SIGKILL somewhere in a batch', zh: '在一批中间 SIGKILL' },
  knobs: {
    messages: { default: 1000 },
    partitions: { default: 1 },
    batch: { default: 100 },
    crashAfter: { default: 37, meaning: { en: 'messages into the batch before the kill', zh: '批内第几条之后被杀' } },
    crashBatch: { default: 3 },
  },
  ...nothingHappens,
});

/** Uses crash-batch only (like torn-checkpoint), with a rule of its own. */
const torn = defineScenario({
  name: 'torn',
  summary: { en: 'a torn checkpoint', zh: '写坏的检查点' },
  knobs: { messages: { default: 1000 }, partitions: { default: 1 }, batch: { default: 100 }, crashBatch: { default: 3 } },
  validate: (k, flag) => (k.crashBatch * k.batch >= k.messages ? `the torn save after batch ${flag('crashBatch')} must leave messages to read: raise ${flag('messages')}` : undefined),
  ...nothingHappens,
});

/** Uses crash-after without crash-batch: no crash-message check. */
const firstBatch = defineScenario({
  name: 'first-batch',
  summary: { en: 'a kill in the first batch', zh: '第一批中被杀' },
  knobs: { messages: { default: 50 }, partitions: { default: 2 }, batch: { default: 100 }, crashAfter: { default: 20 } },
  ...nothingHappens,
});

describe('command line', () => {
  test('knob flags, from the catalogue, become numbers', () => {
    const options = parseCli(['crashy', '--messages', '5000', '--partitions', '3', '--batch', '100', '--crash-after', '37', '--crash-batch', '2']);
    expect(options.scenario).toBe('crashy');
    expect(options.knobs).toEqual({ messages: 5000, partitions: 3, batch: 100, crashAfter: 37, crashBatch: 2 });
    expect(parseCli(['crashy']).knobs).toEqual({});
  });

  test.each([
    [['x', '--messages', 'many'], /--messages must be a whole number, got "many"/],
    [['x', '--messages=-3'], /--messages must be a whole number, got "-3"/],
    [['x', '--crash-batch', '2.5'], /--crash-batch must be a whole number, got "2.5"/],
    [['x', '--frobnicate'], /Unknown option '--frobnicate'/],
    [['x', '--lang', 'fr'], /--lang must be en or zh/],
    [['a', 'b'], /one scenario at a time/],
  ])('%j is rejected with a clear message', (argv, message) => {
    expect(() => parseCli(argv)).toThrow(message);
    expect(() => parseCli(argv)).toThrow(UserError);
  });

  test('a misspelt scenario name finds the closest one', () => {
    expect(closest('crash-mid-bach', ['crash-mid-batch', 'torn-checkpoint'])).toBe('crash-mid-batch');
  });
});

describe('knobs per scenario', () => {
  test('defaults, and given values, for the declared knobs only', () => {
    expect(resolveKnobs(crashy, {})).toEqual({ messages: 1000, partitions: 1, batch: 100, crashAfter: 37, crashBatch: 3 });
    expect(resolveKnobs(torn, { messages: 5000 })).toEqual({ messages: 5000, partitions: 1, batch: 100, crashBatch: 3 });
    expect(resolveKnobs(crashy, { crashAfter: 100 })).toMatchObject({ crashAfter: 100 });
  });

  test.each<[string, AnyScenario, GivenKnobs, string]>([
    ['a knob the scenario does not declare', torn, { crashAfter: 5 }, 'torn does not use --crash-after; its knobs are --messages, --partitions, --batch, --crash-batch'],
    ['an undeclared knob among declared ones', firstBatch, { crashBatch: 2, messages: 10 }, 'first-batch does not use --crash-batch; its knobs are --messages, --partitions, --batch, --crash-after'],
    ['partitions out of bounds', crashy, { partitions: 0 }, '--partitions must be between 1 and 64, got 0'],
    ['partitions above the bound', crashy, { partitions: 65 }, '--partitions must be between 1 and 64, got 65'],
    ['no messages', crashy, { messages: 0 }, '--messages must be between 1 and 1000000, got 0'],
    ['batch 0', crashy, { batch: 0 }, '--batch must be between 1 and 1000000, got 0'],
    ['crash-after 0', crashy, { crashAfter: 0 }, '--crash-after must be between 1 and 1000000, got 0'],
    ['crash-after beyond the default batch', crashy, { crashAfter: 500 }, '--crash-after 500 is larger than --batch (default 100): the crash comes K messages into a batch of B (K ≤ B)'],
    ['a batch smaller than the default crash-after', crashy, { batch: 30 }, '--batch 30 is smaller than --crash-after (default 37): the crash comes K messages into a batch of B (K ≤ B)'],
    ['both given', crashy, { batch: 30, crashAfter: 31 }, '--crash-after 31 is larger than --batch 30'],
    ['crash-after beyond the batch without crash-batch', firstBatch, { batch: 10 }, '--batch 10 is smaller than --crash-after (default 20)'],
    [
      'a crash after the last message',
      crashy,
      { messages: 200 },
      'the crash would come after message 237 with --crash-batch (default 3), --batch (default 100) and --crash-after (default 37), but --messages 200 produces only 200 messages',
    ],
    [
      'a crash after the last message, named as given',
      crashy,
      { crashBatch: 10, batch: 10, crashAfter: 5, messages: 94 },
      'the crash would come after message 95 with --crash-batch 10, --batch 10 and --crash-after 5, but --messages 94 produces only 94 messages',
    ],
    ['the scenario\'s own rule, with the flags as given', torn, { messages: 300 }, 'the torn save after batch --crash-batch (default 3) must leave messages to read: raise --messages 300'],
  ])('%s is explained', (_what, scenario, given, message) => {
    expect(() => resolveKnobs(scenario, given)).toThrow(UserError);
    expect(() => resolveKnobs(scenario, given)).toThrow(message);
  });

  test('checks that need knobs the scenario lacks do not apply', () => {
    // crash-batch 10 × batch 100 is far past 50 messages, but first-batch has no crash-batch.
    expect(resolveKnobs(firstBatch, {})).toEqual({ messages: 50, partitions: 2, batch: 100, crashAfter: 20 });
    // torn has no crash-after: a batch of 1 is fine however crash-after would default.
    expect(resolveKnobs(torn, { batch: 1, crashBatch: 999 })).toMatchObject({ batch: 1, crashBatch: 999 });
  });

  test('the crash message at exactly the last message is allowed', () => {
    const k = resolveKnobs(crashy, { messages: 237 });
    expect(crashMessage(k)).toBe(237);
  });
});

describe('help', () => {
  test('a scenario lists its own knobs with defaults and meanings, in the chosen language', () => {
    const help = scenarioHelp(torn, 'en');
    expect(help).toMatch(/^torn: a torn checkpoint/);
    expect(help).toMatch(/--crash-batch C\s+default 3\s+the crash happens in batch number C/);
    expect(help).toMatch(/--messages N\s+default 1000\s+messages to produce/);
    expect(help).not.toMatch(/--crash-after/);
    expect(help).toMatch(/--broker container\|local\|external/);
    expect(help).toMatch(/Exit codes: .*4 harness error/s);
    const zh = scenarioHelp(crashy, 'zh');
    expect(zh).toMatch(/^crashy: 在一批中间 SIGKILL/);
    expect(zh).toMatch(/--crash-after K\s+默认 37\s+批内第几条之后被杀/);
    expect(zh).toMatch(/--partitions P\s+默认 1\s+topic 的分区数/);
  });

  test('the general usage lists every knob of the catalogue and every exit code', () => {
    const text = usage('en');
    for (const flag of ['--messages N', '--partitions P', '--batch B', '--crash-after K', '--crash-batch C']) expect(text).toContain(flag);
    expect(text).toMatch(/0 counts as predicted.*1 a count differs.*2 bad command line.*3 environment.*4 harness error.*130 interrupted.*143 terminated/s);
    expect(listScenarios([torn, crashy], 'en')).toMatch(/torn\s+a torn checkpoint\n\s+crashy\s+SIGKILL somewhere in a batch\n\s+all\s+run every scenario/);
  });
});

describe('--client', () => {
  test('kafkajs by default; platformatic when asked; anything else is one clear line', () => {
    expect(parseCli(['crash-mid-batch']).client).toBe('kafkajs');
    expect(parseCli(['crash-mid-batch', '--client', 'platformatic']).client).toBe('platformatic');
    expect(() => parseCli(['crash-mid-batch', '--client', 'rdkafka'])).toThrow(new UserError('--client must be kafkajs or platformatic, got "rdkafka"'));
  });

  test('--jobs: four by default, 1 to 16 when given, anything else is one clear line', () => {
    expect(parseCli(['all']).jobs).toBe(3);
    expect(parseCli(['all', '--jobs', '5']).jobs).toBe(5);
    expect(() => parseCli(['all', '--jobs', '0'])).toThrow(new UserError('--jobs must be from 1 to 16, got "0"'));
    expect(() => parseCli(['all', '--jobs', 'many'])).toThrow(new UserError('--jobs must be a whole number, got "many"'));
  });
});
