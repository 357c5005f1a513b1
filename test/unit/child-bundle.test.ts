import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as platformatic from '@platformatic/kafka';
import { describe, expect, onTestFinished, test } from 'vitest';
import { lazyValidators, strategyProcessEntry } from '../../src/runner/child-bundle.ts';
import { repoRoot } from '../../src/util/paths.ts';

// On a fresh clone the first test builds the bundle (rolldown, ~1.7 MB): seconds, more beside three
// other unit files on two busy cores (CI timed out at vitest's default 5 s once, with steal high).
describe('the strategy process bundle', { timeout: 60_000 }, () => {
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

  test('@platformatic/kafka in the bundle compiles a validator only when one is called, and refuses what the package refuses', async () => {
    type Ajv = { _cache: Map<unknown, { validate?: unknown }> };
    type Client = { close(): Promise<void> };
    type Kafka = { ajv: Ajv; Producer: new (options: object) => Client; Consumer: new (options: object) => Client };
    const compiled = (ajv: Ajv) => [...ajv._cache.values()].filter((schema) => schema.validate).length;
    // Under node_modules, as the strategy-process bundle is: the package left outside resolves.
    const cache = join(repoRoot, 'node_modules', '.cache', 'kafka-offset-lab');
    mkdirSync(cache, { recursive: true });
    const dir = mkdtempSync(join(cache, 'test-lazy-validators-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'entry.mjs'), "export { ajv, Producer, Consumer } from '@platformatic/kafka';\n");
    const { build } = await import('rolldown');
    await build({ input: join(dir, 'entry.mjs'), platform: 'node', external: [/^@platformatic\/wasm-utils/], plugins: [lazyValidators], logLevel: 'silent', output: { file: join(dir, 'out.mjs'), format: 'esm' } });
    const bundled = (await import(pathToFileURL(join(dir, 'out.mjs')).href)) as Kafka;
    const direct = platformatic as unknown as Kafka;
    const refusal = (create: () => Client) => {
      try {
        create();
      } catch (error) {
        return `${(error as Error).constructor.name}: ${(error as Error).message}`;
      }
      return 'accepted';
    };
    // Loaded: the package as published has compiled its validators; the bundle none.
    expect(compiled(direct.ajv)).toBeGreaterThan(10);
    expect(compiled(bundled.ajv)).toBe(0);

    // A consumer's group options are checked always (the lab's own consumers go through this):
    // the same refusal word for word; a good consumer compiles that one validator and nothing else
    // (not the JSON Schema meta-schema its schema would otherwise be checked against).
    const base = { clientId: 'lazy-validators', bootstrapBrokers: ['127.0.0.1:1'] };
    const badGroup = (kafka: Kafka) => refusal(() => new kafka.Consumer({ ...base, groupId: 'g', sessionTimeout: 1000, heartbeatInterval: 5000 }));
    expect(badGroup(bundled)).toBe('UserError: /options/heartbeatInterval must be less than or equal to /options/sessionTimeout.');
    expect(badGroup(bundled)).toBe(badGroup(direct));
    await new bundled.Consumer({ ...base, groupId: 'g', sessionTimeout: 1500, heartbeatInterval: 150 }).close();
    expect(compiled(bundled.ajv)).toBe(1);

    // With strict: true (never set by the lab) every option is checked: the same refusal, and a good configuration passes.
    const badProducer = (kafka: Kafka) => refusal(() => new kafka.Producer({ ...base, strict: true, retries: 'many' }));
    expect(badProducer(bundled)).toMatch(/^UserError: \/options\/retries must be number/);
    expect(badProducer(bundled)).toBe(badProducer(direct));
    await new bundled.Producer({ ...base, strict: true }).close();
  });
});
