import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { EnvironmentError } from '../util/errors.ts';

/** Kafka 4.x brokers need Java 17 or newer. */
export const minimumJavaMajor = 17;

export interface JavaInfo {
  executable: string;
  major: number;
}

/** Finds java (JAVA_HOME first, then PATH) and checks its version. */
export function findJava(env: NodeJS.ProcessEnv = process.env): JavaInfo {
  const executable = env.JAVA_HOME ? join(env.JAVA_HOME, 'bin', 'java') : 'java';
  const probe = spawnSync(executable, ['-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new EnvironmentError(`Java was not found (tried ${executable}); the local Kafka broker runs on the JVM.`, {
      hint: `Install Java ${minimumJavaMajor}+ (Debian: apt-get install openjdk-17-jre-headless), or use a running cluster with KAFKA_BROKERS=host:port.`,
    });
  }
  const major = parseJavaMajor(`${probe.stderr}${probe.stdout}`);
  if (major === undefined || major < minimumJavaMajor) {
    throw new EnvironmentError(`Java ${major ?? '(unknown version)'} found at ${executable}; Kafka 4 needs Java ${minimumJavaMajor} or newer.`, {
      hint: `Install Java ${minimumJavaMajor}+ or point JAVA_HOME at one.`,
    });
  }
  return { executable, major };
}

/** `openjdk version "17.0.15"` → 17; `java version "1.8.0_402"` → 8. */
export function parseJavaMajor(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!match) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] ? Number(match[2]) : first;
}
