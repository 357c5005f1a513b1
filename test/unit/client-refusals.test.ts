import { PassThrough } from 'node:stream';
import { expect, test } from 'vitest';
import { findScenario, scenarios } from '../../scenarios/index.ts';
import { unsupportedClientReason } from '../../scenarios/client-refusals.ts';
import { resolveKnobs } from '../../src/cli/resolve-knobs.ts';
import { scenarioCommand } from '../../src/cli/scenario-command.ts';
import type { Knobs } from '../../src/runner/scenario.ts';

const sink = () => new PassThrough() as unknown as NodeJS.WriteStream;

test('retention-gap on --client platformatic is refused with one line (exit 2) before any broker starts; kafkajs runs it', async () => {
  const run = scenarioCommand(['retention-gap', '--client', 'platformatic', '--broker', 'local'], { stdout: sink(), stderr: sink(), env: {} });
  await expect(run).rejects.toMatchObject({
    exitCode: 2,
    hint: undefined,
    message: expect.stringMatching(/^retention-gap cannot run on --client platformatic: .*OFFSET_OUT_OF_RANGE.*use --client kafkajs$/),
  });
  expect(unsupportedClientReason('retention-gap', 'kafkajs', findScenario('retention-gap')!.defaults)).toBeUndefined();
});

test('at their defaults every other scenario runs on both clients', () => {
  const refused = scenarios.filter((s) => unsupportedClientReason(s.name, 'platformatic', s.defaults) !== undefined || unsupportedClientReason(s.name, 'kafkajs', s.defaults) !== undefined);
  expect(refused.map((s) => s.name)).toEqual(['retention-gap']);
});

test('two-member scenarios on platformatic: more than 5000 messages per partition is refused with the reason, on kafkajs it is not', async () => {
  for (const name of ['rebalance-handoff', 'rebalance-right-way', 'zombie-consumer', 'zombie-right-way']) {
    const k = { ...findScenario(name)!.defaults, messages: 40_000, partitions: 4 } as Knobs;
    expect(unsupportedClientReason(name, 'platformatic', k), name).toMatch(/more than 5000 messages per partition \(here 10000\)/);
    expect(unsupportedClientReason(name, 'platformatic', { ...k, messages: 20_000 } as Knobs), name).toBeUndefined();
    expect(unsupportedClientReason(name, 'kafkajs', k), name).toBeUndefined();
  }
  const run = scenarioCommand(['rebalance-handoff', '--client', 'platformatic', '--broker', 'local', '--messages', '40000'], { stdout: sink(), stderr: sink(), env: {} });
  await expect(run).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/^rebalance-handoff cannot run on --client platformatic: on @platformatic\/kafka one fetch/) });
});

test('two-member scenarios refuse a survivor with unsaved work at the hand-over (half of --messages not a multiple of --batch), on both clients', () => {
  for (const name of ['rebalance-handoff', 'rebalance-right-way']) {
    expect(() => resolveKnobs(findScenario(name)!, { messages: 3000, partitions: 6, batch: 70, crashAfter: 33, crashBatch: 2 }), name).toThrow(
      'half of --messages 3000 must be a multiple of --batch 70, so that the survivor has saved all of its own share when it takes over',
    );
  }
});
