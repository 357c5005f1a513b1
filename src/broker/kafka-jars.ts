import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EnvironmentError } from '../util/errors.ts';
import { cacheDir, kafkaPomPath } from '../util/paths.ts';

/** The Kafka version lives in one place: the pom that fetches the jars. */
export function kafkaVersion(): string {
  const match = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(readFileSync(kafkaPomPath, 'utf8'));
  if (!match?.[1]) throw new Error(`no <kafka.version> in ${kafkaPomPath}`);
  return match[1];
}

export function kafkaLibsDir(version = kafkaVersion()): string {
  return join(cacheDir, `kafka-${version}`, 'libs');
}

const completeMarker = (libs: string) => join(libs, '.complete');

export function hasKafkaJars(version = kafkaVersion()): boolean {
  return existsSync(completeMarker(kafkaLibsDir(version)));
}

/**
 * Makes sure Apache Kafka's broker jars are in the project's cache, fetching them with Maven
 * (org.apache.kafka:kafka_2.13 and its runtime dependencies) on first use only.
 * The copy goes to a temporary folder first, so an interrupted fetch never looks complete.
 */
export async function ensureKafkaJars(onProgress?: (text: string) => void): Promise<string> {
  const version = kafkaVersion();
  const libs = kafkaLibsDir(version);
  if (existsSync(completeMarker(libs))) return libs;

  const mvn = spawnSync('mvn', ['-v'], { encoding: 'utf8' });
  if (mvn.error || mvn.status !== 0) {
    throw new EnvironmentError('Maven (mvn) was not found; it fetches Apache Kafka\'s jars from Maven Central on first use.', {
      hint: 'Install Maven (Debian: apt-get install maven), or use a running cluster with KAFKA_BROKERS=host:port.',
    });
  }

  onProgress?.(`fetching Apache Kafka ${version} jars from Maven Central (first run only)`);
  const staging = `${libs}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const args = ['-B', '-q', '-f', kafkaPomPath, 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${staging}`];
  const { code, output } = await run('mvn', args);
  if (code !== 0) {
    rmSync(staging, { recursive: true, force: true });
    const tail = output.trim().split('\n').slice(-8).join('\n');
    throw new EnvironmentError(`Maven could not fetch Apache Kafka ${version} (exit ${code}).\n${tail}`, {
      hint: 'Check that Maven Central is reachable (mvn -f kafka/pom.xml dependency:resolve), or use KAFKA_BROKERS=host:port.',
    });
  }
  writeFileSync(completeMarker(staging), `${version}\n`);
  rmSync(libs, { recursive: true, force: true });
  renameSync(staging, libs);
  return libs;
}

function run(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/**
 * Kafka's command-line tools (kafka-consumer-groups, the console consumer) live in the
 * org.apache.kafka:kafka-tools jar, which the broker does not need: fetched on first use
 * into a folder of its own, next to the broker's jars (whose classpath it completes).
 * Undefined when Maven cannot fetch it.
 */
export async function ensureKafkaToolsJar(version = kafkaVersion()): Promise<string | undefined> {
  const dir = join(cacheDir, `kafka-tools-${version}`);
  const jar = join(dir, `kafka-tools-${version}.jar`);
  if (existsSync(jar)) return jar;
  const staging = `${dir}.partial-${process.pid}`;
  mkdirSync(staging, { recursive: true });
  const args = ['-B', '-q', 'dependency:copy', `-Dartifact=org.apache.kafka:kafka-tools:${version}`, '-Dtransitive=false', `-DoutputDirectory=${staging}`];
  const { code } = await run('mvn', args).catch(() => ({ code: -1 }));
  if (code !== 0 || !existsSync(join(staging, `kafka-tools-${version}.jar`))) {
    rmSync(staging, { recursive: true, force: true });
    return undefined;
  }
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  return jar;
}
