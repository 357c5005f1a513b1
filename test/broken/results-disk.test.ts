import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { cleanEnv } from '../env.ts';
import { descendants, isBroker } from '../processes.ts';

/**
 * The results folder on a real read-only or full file system: a tmpfs mounted in a mount
 * namespace of the CLI's own (unshare -m), so nothing outside the test sees it and nothing is
 * left mounted. Needs root or CAP_SYS_ADMIN; skipped (and said) where unshare is refused.
 */
const canMount = (() => {
  try {
    execFileSync('unshare', ['-m', 'sh', '-c', 'mount -t tmpfs -o size=4k kol-probe /mnt'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

function cliOn(mountOptions: string): Promise<{ code: number | null; stdout: string; stderr: string; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'kol-results-disk-'));
  const script = 'mount -t tmpfs -o "$1" kol-results "$2" && shift 2 && exec "$@"';
  const child = spawn('unshare', ['-m', 'sh', '-c', script, 'sh', mountOptions, dir, process.execPath, 'src/cli/scenario-main.ts', 'crash-mid-batch', '--broker', 'local'], {
    env: cleanEnv({ KAFKA_OFFSET_LAB_RESULTS: dir }),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr, dir })));
}

describe.skipIf(!canMount)('the results disk', () => {
  test('read-only: one line naming the folder, exit 3, before any broker starts', async () => {
    const run = await cliOn('ro');
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(new RegExp(`^error: cannot write ${run.dir}/crash-mid-batch\\S*: the file system is read-only \\(EROFS\\); no counts were made from this run$`, 'm'));
    expect(run.stdout).toBe('');
  });

  test('full (a 64 KiB tmpfs): the file that could not be written, exit 3, no counts, no broker left', async () => {
    const run = await cliOn('size=64k');
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(new RegExp(`^error: cannot write ${run.dir}/crash-mid-batch/\\S+: no space left on the disk \\(ENOSPC\\); no counts were made from this run$`, 'm'));
    expect(run.stdout).not.toMatch(/duplicated|lost/);
    expect([...descendants(process.pid).values()].filter(isBroker)).toEqual([]);
  });
});
