import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

/**
 * scripts/apt-mirror.sh (the mirror scripts/build-kafka-image.sh gives debootstrap) on made-up
 * apt folders. The hosts are reserved example names, built here so that no mirror address is
 * written in the repository.
 */
const host = (name: string) => `${name}.example`;
const http = (name: string, path: string) => `http://${host(name)}${path}`;

function aptDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kol-apt-'));
  mkdirSync(join(dir, 'sources.list.d'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function mirror(dir: string, suite = 'bookworm'): { code: number | null; stdout: string } {
  const run = spawnSync('bash', ['scripts/apt-mirror.sh', suite, dir], { encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout.trim() };
}

describe('the Debian mirror comes from the machine’s apt sources only', () => {
  test('deb822 (*.sources): the stanza for the suite with main, not the security archive, not a disabled one', () => {
    const dir = aptDir({
      'sources.list.d/debian.sources': [
        '# a comment',
        'Types: deb',
        `URIs: ${http('security', '/debian-security')}`,
        'Suites: bookworm-security',
        'Components: main',
        '',
        'Types: deb',
        `URIs: ${http('off', '/debian')}`,
        'Suites: bookworm',
        'Components: main',
        'Enabled: no',
        '',
        'Types: deb-src deb',
        `URIs: ${http('mirror', '/debian/')}`,
        'Suites: bookworm bookworm-updates',
        'Components: main contrib',
        'Signed-By:',
        ' -----BEGIN PGP PUBLIC KEY BLOCK-----',
        ' .',
        ' -----END PGP PUBLIC KEY BLOCK-----',
      ].join('\n'),
    });
    expect(mirror(dir)).toEqual({ code: 0, stdout: http('mirror', '/debian') });
  });

  test('one-line format (sources.list, sources.list.d/*.list): options in brackets, comments, third-party repositories skipped', () => {
    const dir = aptDir({
      'sources.list': [
        `deb [signed-by=/usr/share/keyrings/nodesource.gpg] ${http('nodesource', '/node_22.x')} nodistro main`,
        `# deb ${http('commented', '/debian')} bookworm main`,
        `deb-src ${http('source', '/debian')} bookworm main`,
        `deb [ arch=amd64 trusted=yes ] ${http('mirror', '/pub/deb')} bookworm main # the local mirror`,
      ].join('\n'),
      'sources.list.d/extra.list': `deb ${http('other', '/debian')} bookworm main\n`,
    });
    expect(mirror(dir)).toEqual({ code: 0, stdout: http('mirror', '/pub/deb') });
  });

  test('no entry for the suite: a Debian archive (path /debian) serves it', () => {
    const dir = aptDir({ 'sources.list.d/debian.sources': `Types: deb\nURIs: ${http('mirror', '/debian')}\nSuites: trixie\nComponents: main\n` });
    expect(mirror(dir)).toEqual({ code: 0, stdout: http('mirror', '/debian') });
    expect(mirror(dir, 'trixie')).toEqual({ code: 0, stdout: http('mirror', '/debian') });
  });

  test('nothing usable: exit 1 and nothing printed (no built-in fallback)', () => {
    expect(mirror(aptDir({}))).toEqual({ code: 1, stdout: '' });
    expect(mirror(join(tmpdir(), 'kol-no-such-apt-dir'))).toEqual({ code: 1, stdout: '' });
    const thirdParty = aptDir({ 'sources.list.d/cloud.list': `deb ${http('packages', '/apt')} cloud-sdk main\n`, 'sources.list.d/x.sources.disabled': `Types: deb\nURIs: ${http('m', '/debian')}\nSuites: bookworm\nComponents: main\n` });
    expect(mirror(thirdParty)).toEqual({ code: 1, stdout: '' });
  });

  const inGitTree = spawnSync('git', ['rev-parse', '--is-inside-work-tree'], { encoding: 'utf8' }).stdout?.trim() === 'true';
  test.skipIf(!inGitTree)('the repository names no mirror of its own', () => {
    const run = spawnSync('git', ['grep', '-nE', 'https?://[a-z0-9.-]+/debian'], { encoding: 'utf8' });
    expect(run.stdout).toBe('');
    expect(run.status).toBe(1); // git grep: nothing found
  });
});
