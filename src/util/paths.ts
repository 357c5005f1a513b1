import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: every path the harness uses is anchored here, not at the caller's cwd. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const kafkaPomPath = join(repoRoot, 'kafka', 'pom.xml');
export const kafkaLog4jPath = join(repoRoot, 'kafka', 'log4j2.properties');
export const cacheDir = join(repoRoot, '.cache');
export const resultsDir = join(repoRoot, 'results');
