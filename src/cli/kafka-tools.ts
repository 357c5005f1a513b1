import { spawnSync } from 'node:child_process';
import { relative } from 'node:path';
import { kafkaLibsDir } from '../broker/kafka-jars.ts';
import type { RunResult } from '../runner/run-result.ts';

/**
 * After a `--keep` run: where the topic and groups are, and the commands that show them with
 * Kafka's own tools (Kafka 4.x: the tools are classes of org.apache.kafka:kafka-tools;
 * kafka.admin.ConsumerGroupCommand is gone), plus kcat when it is installed.
 */
export function keptLines(result: RunResult, toolsJar: string | undefined, env: NodeJS.ProcessEnv = process.env): string[] {
  const server = result.broker.brokers.join(',');
  const groups = (result.kafka ?? []).map((v) => v.group);
  const shown = (path: string) => (relative(process.cwd(), path).startsWith('..') ? path : relative(process.cwd(), path) || path);
  const lines = [
    `Kept on ${server}: topic ${result.topic}, groups ${groups.join(', ')}`,
    'Look at them with Kafka’s own tools:',
  ];
  if (toolsJar) {
    const java = `java -cp '${shown(kafkaLibsDir())}/*:${shown(toolsJar)}'`;
    for (const group of groups) lines.push(`  ${java} org.apache.kafka.tools.consumer.group.ConsumerGroupCommand --bootstrap-server ${server} --describe --group ${shellWord(group)}`);
    lines.push(`  ${java} org.apache.kafka.tools.consumer.ConsoleConsumer --bootstrap-server ${server} --topic ${result.topic} --from-beginning --max-messages 10 --property print.partition=true --property print.offset=true`);
  } else {
    lines.push('  (the kafka-tools jar could not be fetched with Maven; with a Kafka download:)');
    for (const group of groups) lines.push(`  bin/kafka-consumer-groups.sh --bootstrap-server ${server} --describe --group ${shellWord(group)}`);
    lines.push(`  bin/kafka-console-consumer.sh --bootstrap-server ${server} --topic ${result.topic} --from-beginning --max-messages 10 --property print.offset=true`);
  }
  if (onPath('kcat', env)) lines.push(`  kcat -b ${server} -C -t ${result.topic} -o beginning -e -f '%p %o %s\\n'`);
  if (result.broker.kind === 'external' && env.KAFKA_SSL) lines.push('  (TLS/SASL: add --command-config <client.properties> with your security settings)');
  return lines;
}

/** One argument for a POSIX shell: group names come from row names, which may hold spaces ("commit offset+1"). */
export function shellWord(text: string): string {
  return /^[\w.,:@%+/=-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}

function onPath(command: string, env: NodeJS.ProcessEnv): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { env, stdio: 'ignore' }).status === 0;
}
