/**
 * Entry point of one strategy process. The supervisor forks it with a ChildConfig in argv[2];
 * it builds the Kafka port, the strategy and the consumer loop, and runs them.
 */
import { parseChildConfig, parseSupervisorMessage } from '../boundary/parse.ts';
import { JsonlWriter } from '../history/jsonl.ts';
import { createKafka, retriesFor } from '../kafka/client.ts';
import { platformaticSecurity, securityFromEnv } from '../kafka/security.ts';
import { createStrategy } from '../strategies/registry.ts';
import { ConsumerLoop, type SupervisorChannel } from './consumer-loop.ts';
import { KafkajsPort } from './kafkajs-port.ts';
import type { ConsumerPort } from './port.ts';
import type { ChildConfig } from './protocol.ts';

function fail(line: string, code: number): never {
  process.stderr.write(`${line}\n`);
  process.exit(code);
}

// @platformatic/kafka takes ~0.5 s of CPU to load: a kafkajs child, started at every restart, does not pay for it.
type PlatformaticPortClass = typeof import('./platformatic-port.ts').PlatformaticPort;

function start(config: ChildConfig, PlatformaticPort: PlatformaticPortClass | undefined): ConsumerLoop {
  const { instance, incarnation, topic, groupId, workDir, row, outputTopic } = config;
  const security = config.securityFromEnv ? securityFromEnv() : {};
  // A generous retry window (~13 s, more where the scenario says): a commit sent while the broker restarts is retried until it is back.
  const kafka = createKafka(config.brokers, `kol-${instance}-${incarnation}`, { security, ...retriesFor(config.retryWindowMs) });
  const { sessionTimeoutMs, heartbeatIntervalMs } = config;
  // The strategy's own Kafka needs (a transactional producer, an output topic) stay on kafkajs; the consumer is the chosen client.
  let port: ConsumerPort;
  if (config.client === 'platformatic' && PlatformaticPort) {
    // Its options schema refuses whitespace in a client id (/^\S+$/), and instance names may hold spaces.
    const clientId = `kol-${instance.replace(/\s/g, '_')}-${incarnation}`;
    port = new PlatformaticPort({ brokers: config.brokers, clientId, topic, groupId, sessionTimeoutMs, heartbeatIntervalMs, retryWindowMs: config.retryWindowMs, security: platformaticSecurity(security) });
  } else {
    port = new KafkajsPort(kafka, { topic, groupId, sessionTimeoutMs, heartbeatIntervalMs });
  }
  const runtime = { consumer: port, kafka, topic, workDir, instance, row, groupId, incarnation, topicEnds: config.drainTo, ...(outputTopic ? { outputTopic } : {}) };
  const channel: SupervisorChannel = {
    send: (message) => void process.send?.(message),
    receive: (handler) =>
      void process.on('message', (value) => {
        try {
          handler(parseSupervisorMessage(value));
        } catch (error) {
          fail(`${instance}: bad message from the supervisor: ${(error as Error).message}`, 1);
        }
      }),
  };
  const { batchSize, drainTo, logStart, triggers } = config;
  const history = new JsonlWriter(config.historyPath);
  return new ConsumerLoop({ port, strategy: createStrategy(config.choice, runtime), history, triggers, channel, instance, incarnation, topic, batchSize, drainTo, logStart });
}

// The supervisor is gone (it crashed or was killed): do not linger as an orphan.
process.on('disconnect', () => process.exit(0));

let config: ChildConfig;
let loop: ConsumerLoop;
try {
  config = parseChildConfig(process.argv[2] ?? '');
  const platformatic = config.client === 'platformatic' ? (await import('./platformatic-port.ts')).PlatformaticPort : undefined;
  loop = start(config, platformatic);
} catch (error) {
  fail(`strategy process: bad configuration: ${(error as Error).message}`, 2);
}
loop.run().catch((error: Error) => fail(`${config.instance}: ${error.stack ?? error.message}`, 1));
