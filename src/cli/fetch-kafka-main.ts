/** `npm run kafka:fetch`: fetches Apache Kafka's jars with Maven now instead of on first use. */
import { ensureKafkaJars, hasKafkaJars, kafkaLibsDir, kafkaVersion } from '../broker/kafka-jars.ts';
import { UserError } from '../util/errors.ts';

try {
  const cached = hasKafkaJars();
  await ensureKafkaJars((text) => process.stderr.write(`${text}…\n`));
  process.stdout.write(`Apache Kafka ${kafkaVersion()} jars ${cached ? 'already cached' : 'fetched'} in ${kafkaLibsDir()}\n`);
} catch (error) {
  if (!(error instanceof UserError)) throw error;
  process.stderr.write(`error: ${error.message}\n${error.hint ? `${error.hint}\n` : ''}`);
  process.exitCode = error.exitCode;
}
