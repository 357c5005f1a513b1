/** `npm run kafka:fetch`: fetches Apache Kafka's jars with Maven now instead of on first use. */
import { ensureKafkaJars, hasKafkaJars, kafkaLibsDir, kafkaVersion } from '../broker/kafka-jars.ts';
import { ExitCode, UserError, describeUserError, runFailure } from '../util/errors.ts';

try {
  const cached = hasKafkaJars();
  await ensureKafkaJars((text) => process.stderr.write(`${text}…\n`));
  process.stdout.write(`Apache Kafka ${kafkaVersion()} jars ${cached ? 'already cached' : 'fetched'} in ${kafkaLibsDir()}\n`);
} catch (error) {
  // The environment (3) or a bug of ours (4, with its stack to report), like the scenario command.
  const failure = error instanceof UserError ? error : runFailure(error, []);
  for (const line of describeUserError(failure)) process.stderr.write(`${line}\n`);
  if (failure.exitCode === ExitCode.harness && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  process.exitCode = failure.exitCode;
}
