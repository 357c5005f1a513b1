import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { strategyProcessEntry } from '../../src/runner/child-bundle.ts';
import { repoRoot } from '../../src/util/paths.ts';

describe('the strategy process bundle', () => {
  test('is built into node_modules/.cache and behaves as the .ts entry does', async () => {
    const entry = await strategyProcessEntry();
    expect(entry.startsWith(join(repoRoot, 'node_modules', '.cache', 'kafka-offset-lab', 'strategy-process'))).toBe(true);
    expect(entry.endsWith('child-main.mjs')).toBe(true);
    // The same refusal of a bad configuration from both: one line, exit 2.
    for (const file of [entry, join(repoRoot, 'src', 'consumer', 'child-main.ts')]) {
      const child = spawnSync(process.execPath, [file, '{"instance": 1}'], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
      expect(child.status).toBe(2);
      expect(child.stderr.trim().split('\n')).toHaveLength(1);
      expect(child.stderr).toMatch(/^strategy process: bad configuration: /);
    }
  });

  test('the same sources give the same bundle in another process (built once, shared by every run)', async () => {
    const module = join(repoRoot, 'src', 'runner', 'child-bundle.ts');
    const other = spawnSync(process.execPath, ['--input-type=module', '-e', `console.log(await (await import(${JSON.stringify(module)})).strategyProcessEntry())`], { encoding: 'utf8' });
    expect(other.stdout.trim()).toBe(await strategyProcessEntry());
  });
});
