import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from '../util/paths.ts';

/**
 * The strategy process as one JavaScript file. Started from the .ts sources, every strategy
 * process resolves, reads and type-strips the lab's modules and kafkajs's ~150 CommonJS
 * files again; the catalogue starts ~140 such processes, and on two cores that start-up was
 * half of all the CPU `npm run scenario all` used (README, "Timings"). The bundle is built once
 * per version of the sources (a hash of src/ and of the installed packages' lock file)
 * with rolldown, into node_modules/.cache, where the one package left outside it still
 * resolves (@platformatic/wasm-utils reads its .wasm file next to its own module). Without
 * rolldown, or if a build fails, processes start from the .ts entry as before: slower, never
 * different.
 */

const srcDir = join(repoRoot, 'src');
const sourceEntry = join(srcDir, 'consumer', 'child-main.ts');
const bundleRoot = join(repoRoot, 'node_modules', '.cache', 'kafka-offset-lab', 'strategy-process');
/** What npm installed (every package's version): another install means another bundle. */
const installedLock = join(repoRoot, 'node_modules', '.package-lock.json');
/** Resolved from node_modules at run time (see above). */
const external = [/^@platformatic\/wasm-utils/];

/**
 * @platformatic/kafka compiles every option validator (ajv) when its modules load. It calls most of
 * them only for a client created with `strict: true` (clients/base/base.js, kValidateOptions; the
 * default is false and the lab never sets it); a consumer's group options it always checks
 * (clients/consumer/consumer.js, #validateGroupOptions). In the bundle each validator is compiled
 * on its first call, and without ajv's check of the schema itself against the JSON Schema 2020
 * meta-schema (the package's schemas are constants; that check compiles the whole meta-schema, about a
 * fifth of such a process in a CPU profile). The same validators, the same refusals; ~0.15 CPU-s less
 * for every platformatic strategy process, measured (README, "Timings"). Marked pure, so the ones
 * nothing references (the admin client's) are still left out.
 */
const lazyValidatorModule = '\0kafka-offset-lab:lazy-validator';
const platformaticModule = /[\\/]@platformatic[\\/]kafka[\\/]dist[\\/].+\.js$/;
export const lazyValidators = {
  name: 'kafka-offset-lab:lazy-validators',
  resolveId: (id: string) => (id === lazyValidatorModule ? id : null),
  load: (id: string) =>
    id === lazyValidatorModule
      ? `export function lazyValidator(ajv, schema) {
  let compiled;
  const validate = (...args) => {
    compiled ??= ajv.compile(schema);
    const valid = compiled(...args);
    validate.errors = compiled.errors;
    return valid;
  };
  return validate;
}`
      : null,
  transform: (code: string, id: string) => {
    if (!platformaticModule.test(id)) return null;
    // utils.js creates the one ajv instance every validator is compiled with (on the same line: the source map stays right).
    if (code.includes('new Ajv2020({')) return code.replace('new Ajv2020({', 'new Ajv2020({ validateSchema: false, ');
    if (!code.includes('ajv.compile(')) return null;
    return `import { lazyValidator } from ${JSON.stringify(lazyValidatorModule)}; ${code.replaceAll('ajv.compile(', '/* @__PURE__ */ lazyValidator(ajv, ')}`;
  },
};

/** A strategy process's command line: forked from the bundle or from the .ts entry. */
export const isStrategyProcess = (commandLine: string) => /child-main\.(mjs|ts)\b/.test(commandLine);

let entry: Promise<string> | undefined;

/** The file to fork a strategy process from: the bundle, built if needed, else the .ts entry. */
export function strategyProcessEntry(): Promise<string> {
  entry ??= bundled().catch((error: Error) => {
    process.stderr.write(`strategy processes start from the .ts sources (slower): ${error.message.split('\n')[0]}\n`);
    return sourceEntry;
  });
  return entry;
}

async function bundled(): Promise<string> {
  const dir = join(bundleRoot, sourcesHash());
  const file = join(dir, 'child-main.mjs');
  if (existsSync(file)) return file;
  const { build } = await import('rolldown');
  // Built beside the final folder and renamed into place: runs building at once never see half a bundle.
  const building = `${dir}.building-${process.pid}-${Date.now()}`;
  mkdirSync(bundleRoot, { recursive: true });
  try {
    await build({
      input: sourceEntry,
      platform: 'node',
      external,
      plugins: [lazyValidators],
      logLevel: 'silent',
      // .mjs: under node_modules no package.json says "module", and Node would first compile a .js
      // as CommonJS, fail, and compile it again. Source maps: stack traces name the .ts lines.
      output: { dir: building, format: 'esm', sourcemap: true, entryFileNames: '[name].mjs', chunkFileNames: '[name]-[hash].mjs' },
    });
    renameSync(building, dir);
    pruneOlderBundles(dir);
  } catch (error) {
    rmSync(building, { recursive: true, force: true });
    if (!existsSync(file)) throw error; // another run won the rename: use its bundle
  }
  return file;
}

/** Bundles of older sources, a day untouched: a run still going forks from its own, so not sooner. */
function pruneOlderBundles(current: string): void {
  const dayAgo = Date.now() - 24 * 3600_000;
  for (const e of readdirSync(bundleRoot, { withFileTypes: true })) {
    const path = join(bundleRoot, e.name);
    if (path !== current && e.isDirectory() && statSync(path).mtimeMs < dayAgo) rmSync(path, { recursive: true, force: true });
  }
}

/** Every file under src/ (the bundle's own code) and the installed packages' versions. */
function sourcesHash(): string {
  const hash = createHash('sha256');
  for (const path of filesUnder(srcDir)) hash.update(relative(srcDir, path)).update('\0').update(readFileSync(path)).update('\0');
  hash.update(existsSync(installedLock) ? readFileSync(installedLock) : String(Date.now())); // no lock: never reuse a bundle
  return hash.digest('hex').slice(0, 16);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}
