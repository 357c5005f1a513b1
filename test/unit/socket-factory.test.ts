import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { repoRoot } from '../../src/util/paths.ts';

// A fresh process, so nothing else has loaded Node's TLS module: a plain connection through the
// lab's kafkajs socket factory reaches a server and leaves it unloaded (TLS connections are
// covered end to end on a TLS listener in test/security).
test('a plain connection does not load Node\'s TLS module', () => {
  const factory = join(repoRoot, 'src', 'kafka', 'socket-factory.ts');
  const script = `
    import net from 'node:net';
    import { socketFactory } from ${JSON.stringify(factory)};
    const server = net.createServer((s) => s.end('hello')).listen(0, '127.0.0.1', () => {
      const socket = socketFactory({ host: '127.0.0.1', port: server.address().port, ssl: undefined, onConnect: () => {} });
      socket.on('data', (d) => console.log(String(d), process.moduleLoadList.includes('NativeModule tls')));
      socket.on('close', () => server.close());
    });`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  expect(child.stderr).toBe('');
  expect(child.stdout.trim()).toBe('hello false');
});
