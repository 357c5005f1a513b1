import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: every path the harness uses is anchored here, not at the caller's cwd. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const kafkaPomPath = join(repoRoot, 'kafka', 'pom.xml');
export const kafkaLog4jPath = join(repoRoot, 'kafka', 'log4j2.properties');
/** Kafka's jars are cached here; KAFKA_OFFSET_LAB_CACHE moves the cache (e.g. to share it between clones). */
export const cacheDir = process.env.KAFKA_OFFSET_LAB_CACHE || join(repoRoot, '.cache');
/** Where runs write their folders; KAFKA_OFFSET_LAB_RESULTS moves it (a bigger disk, a writable one). */
export const resultsDir = process.env.KAFKA_OFFSET_LAB_RESULTS || join(repoRoot, 'results');
