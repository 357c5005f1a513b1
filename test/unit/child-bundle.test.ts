import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as platformatic from '@platformatic/kafka';
import { describe, expect, onTestFinished, test } from 'vitest';
import { lazyValidators, strategyProcessEntry } from '../../src/runner/child-bundle.ts';
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

  test('@platformatic/kafka in the bundle compiles no validator as it loads, and validates as before when one is asked for', async () => {
    type Ajv = { _cache: Map<unknown, { validate?: unknown }> };
    type Client = { close(): Promise<void> };
    type Kafka = { ajv: Ajv; Producer: new (options: object) => Client };
    const compiled = (ajv: Ajv) => [...ajv._cache.values()].filter((schema) => schema.validate).length;
    // Under node_modules, as the strategy-process bundle is: the package left outside resolves.
    const cache = join(repoRoot, 'node_modules', '.cache', 'kafka-offset-lab');
    mkdirSync(cache, { recursive: true });
    const dir = mkdtempSync(join(cache, 'test-lazy-validators-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'entry.mjs'), "export { ajv, Producer } from '@platformatic/kafka';\n");
    const { build } = await import('rolldown');
    await build({ input: join(dir, 'entry.mjs'), platform: 'node', external: [/^@platformatic\/wasm-utils/], plugins: [lazyValidators], logLevel: 'silent', output: { file: join(dir, 'out.mjs'), format: 'esm' } });
    const bundled = (await import(pathToFileURL(join(dir, 'out.mjs')).href)) as Kafka;
    const direct = platformatic as unknown as Kafka;
    // Loaded: the package as published has compiled its validators; the bundle none.
    expect(compiled(direct.ajv)).toBeGreaterThan(10);
    expect(compiled(bundled.ajv)).toBe(0);
    // With strict: true (never set by the lab) the same refusal, word for word, and a good configuration passes.
    const options = { clientId: 'lazy-validators', bootstrapBrokers: ['127.0.0.1:1'], strict: true };
    const refusal = (kafka: Kafka) => {
      try {
        new kafka.Producer({ ...options, retries: 'many' });
      } catch (error) {
        return `${(error as Error).constructor.name}: ${(error as Error).message}`;
      }
      return 'accepted';
    };
    expect(refusal(bundled)).toMatch(/^UserError: \/options\/retries must be number/);
    expect(refusal(bundled)).toBe(refusal(direct));
    await new bundled.Producer(options).close();
    expect(compiled(bundled.ajv)).toBeGreaterThan(0);
  });
});
