import '../util/quiet-kafkajs.ts';
import './kafkajs-idle-timer.ts';
import kafkajs from 'kafkajs';
import type { Kafka as KafkaClient, ConsumerConfig, ProducerConfig, Producer } from 'kafkajs';
import type { ClientSecurity } from './security.ts';
import { socketFactory } from './socket-factory.ts';
import { retryWindowMs, withTransactionalRetry, type FullRetry } from './transactional-retry.ts';

const { Kafka, logLevel } = kafkajs;

/** The first wait before a retry, for every kafkajs client of the lab (kafkajs' default: 300 ms). */
const initialRetryTime = 100;

/**
 * A kafkajs client whose transactional producers retry like the Java client's on
 * CONCURRENT_TRANSACTIONS (20 ms first, transactional-retry.ts), unless the caller sets its own
 * retry. Without it a transaction per message measured kafkajs' 100 ms backoff, not Kafka.
 */
class LabKafka extends Kafka {
  readonly #retry: FullRetry;

  constructor(config: ConstructorParameters<typeof Kafka>[0] & { retry: FullRetry }) {
    super(config);
    this.#retry = config.retry;
  }

  override producer(config: ProducerConfig = {}): Producer {
    return super.producer(withTransactionalRetry(config, this.#retry));
  }
}

/**
 * One place that builds kafkajs clients. kafkajs' own log is off (KAFKAJS_LOG=debug turns it
 * on): the harness reports what matters through its history and its own messages.
 */
export function createKafka(
  brokers: string[],
  clientId: string,
  {
    connectionTimeout = 3000,
    retries = 5,
    maxRetryTime = 1000,
    requestTimeout = 30_000,
    security = {},
  }: { connectionTimeout?: number; retries?: number; maxRetryTime?: number; requestTimeout?: number; security?: ClientSecurity } = {},
): KafkaClient {
  return new LabKafka({
    ...security,
    clientId,
    brokers,
    connectionTimeout,
    requestTimeout,
    logLevel: process.env.KAFKAJS_LOG === 'debug' ? logLevel.DEBUG : logLevel.NOTHING,
    socketFactory,
    retry: { retries, initialRetryTime, maxRetryTime },
  });
}

/** A strategy process's kafkajs client retries an unanswered request for about this long (10 retries). */
export const defaultRetryWindowMs = 13_000;

/**
 * The fewest retries whose waits (kafkajs' doubling from the lab's 100 ms, at most 2 s apart:
 * transactional-retry.ts retryWindowMs) add up to at least `windowMs`.
 */
export function retriesFor(windowMs: number): { retries: number; maxRetryTime: number } {
  const retry = { retries: 1, initialRetryTime, maxRetryTime: 2000 };
  while (retryWindowMs(retry) < windowMs) retry.retries++;
  return { retries: retry.retries, maxRetryTime: retry.maxRetryTime };
}

/** Ten heartbeats per session, unless a scenario says otherwise (leader-failover). */
export const defaultHeartbeatIntervalMs = (sessionTimeoutMs: number) => Math.round(sessionTimeoutMs / 10);

/**
 * Consumer settings for teaching speed (the README lists them next to the broker's).
 * A SIGKILLed member never says goodbye; the group notices it only when its session times
 * out, so the session timeout is what every restart waits for. The default is 30 s in
 * kafkajs (45 s in the Java client); the teaching session still leaves ten heartbeats per session.
 */
export function consumerSettings(sessionTimeout: number, heartbeatInterval = defaultHeartbeatIntervalMs(sessionTimeout)) {
  return {
    sessionTimeout,
    heartbeatInterval,
    rebalanceTimeout: sessionTimeout * 2,
    // Default 5000: an idle fetch waits this long for new data; the drain checks progress between fetches.
    maxWaitTimeInMs: 100,
  } satisfies Partial<ConsumerConfig>;
}

/**
 * On brokers the harness starts (group.min.session.timeout.ms=1000). The honest minimum, measured:
 * with heartbeats kept going during strategy work (KafkajsPort.keepAlive), the largest gap between
 * a live member's heartbeats over three `all` runs on 2 cores under load (load average ~7) was
 * 0.53 s; 1.5 s leaves a margin of nearly 3. Without keepAlive gaps reached 1.46 s (a first
 * transaction's InitProducerId) and 1 s sessions evicted live members.
 */
export const teachingSessionTimeoutMs = 1500;

/**
 * On an external cluster the broker's group.min.session.timeout.ms (6000 by default) forbids
 * the teaching session; KAFKA_SESSION_TIMEOUT_MS can lower this where the cluster allows it.
 */
export function externalSessionTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.KAFKA_SESSION_TIMEOUT_MS ?? 10_000);
  return Number.isInteger(value) && value >= 1000 ? value : 10_000;
}
