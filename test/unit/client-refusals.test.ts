import { PassThrough } from 'node:stream';
import { expect, test } from 'vitest';
import { scenarios } from '../../scenarios/index.ts';
import { unsupportedClientReason } from '../../scenarios/client-refusals.ts';
import { scenarioCommand } from '../../src/cli/scenario-command.ts';

const sink = () => new PassThrough() as unknown as NodeJS.WriteStream;

test('retention-gap on --client platformatic is refused with one line (exit 2) before any broker starts; kafkajs runs it', async () => {
  const run = scenarioCommand(['retention-gap', '--client', 'platformatic', '--broker', 'local'], { stdout: sink(), stderr: sink(), env: {} });
  await expect(run).rejects.toMatchObject({
    exitCode: 2,
    hint: undefined,
    message: expect.stringMatching(/^retention-gap cannot run on --client platformatic: .*OFFSET_OUT_OF_RANGE.*use --client kafkajs$/),
  });
  expect(unsupportedClientReason('retention-gap', 'kafkajs')).toBeUndefined();
});

test('every other scenario runs on both clients', () => {
  const refused = scenarios.filter((s) => unsupportedClientReason(s.name, 'platformatic') !== undefined || unsupportedClientReason(s.name, 'kafkajs') !== undefined);
  expect(refused.map((s) => s.name)).toEqual(['retention-gap']);
});
