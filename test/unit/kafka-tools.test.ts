import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { shellWord } from '../../src/cli/kafka-tools.ts';

describe('the commands printed after --keep', () => {
  test('a group name with a space or a quote stays one argument for the shell; a plain one is left as it is', () => {
    for (const name of ['kol-run-commit offset+1', "it's", 'kol-run-manual-commit']) {
      const args = execFileSync('sh', ['-c', `printf '%s\\n' ${shellWord(name)}`], { encoding: 'utf8' });
      expect(args).toBe(`${name}\n`);
    }
    expect(shellWord('kol-run-manual-commit')).toBe('kol-run-manual-commit');
  });
});
