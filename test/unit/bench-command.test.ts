import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { repoRoot } from '../../src/util/paths.ts';

const bench = (...args: string[]) => spawnSync(process.execPath, [join(repoRoot, 'src', 'cli', 'bench-main.ts'), ...args], { encoding: 'utf8' });

describe('npm run bench: its command line, before any broker starts', () => {
  test.each([[['--frobnicate'], /^error: Unknown option '--frobnicate'\nnpm run bench -- --help lists its options\.\n$/], [['--runs', '0'], /^error: --runs must be a whole number ≥ 1/]])(
    'bad input %j: a clear error, exit 2, no stack',
    (args, message) => {
      const run = bench(...args);
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    },
  );

  test('--help lists the options, exit 0', () => {
    const run = bench('--help');
    expect(run.status).toBe(0);
    for (const option of ['--runs', '--messages', '--scale', '--all']) expect(run.stdout).toContain(option);
  });
});
