#!/usr/bin/env node
// Runs a script with a Node new enough for this project (>= 22.19: .ts type stripping,
// vitest 5, chalk 6). Plain JavaScript on purpose, so it works on an older node too:
// there it uses the official Node 24 LTS build that the npm registry carries as the
// package node-<platform>-<arch>@24, installed once into .tools/node.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [major, minor] = process.versions.node.split('.').map(Number);
const recentEnough = major > 22 || (major === 22 && minor >= 19);

function node24() {
  const pkg = `node-${process.platform}-${process.arch}`;
  const toolsDir = join(root, '.tools', 'node');
  const binary = join(toolsDir, 'node_modules', pkg, 'bin', 'node');
  if (existsSync(binary)) return binary;
  process.stderr.write(`Node ${process.versions.node} is older than 22.19; installing Node 24 LTS (npm package ${pkg}@24) into .tools/node, once…\n`);
  const install = spawnSync('npm', ['install', '--prefix', toolsDir, '--no-audit', '--no-fund', '--no-package-lock', `${pkg}@24`], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (install.status !== 0 || !existsSync(binary)) {
    process.stderr.write(`error: could not install ${pkg}@24 from the npm registry.\nInstall Node 22.19+ (24 LTS recommended) and run again.\n`);
    process.exit(3);
  }
  return binary;
}

const executable = recentEnough ? process.execPath : node24();
// Node's compile cache roughly halves start-up of the .ts entry points and of every child process.
const env = { ...process.env, NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE || join(root, '.cache', 'node-compile-cache') };
const child = spawn(executable, process.argv.slice(2), { stdio: 'inherit', cwd: process.cwd(), env });
// Ctrl-C reaches the child directly (same process group); this wrapper only waits for it.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => {
  process.exitCode = code ?? 128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 9);
});
