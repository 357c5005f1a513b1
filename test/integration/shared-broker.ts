import { inject } from 'vitest';
import type { StartedBroker } from '../../src/broker/broker.ts';

/** The suite's broker (started by global-setup) as a StartedBroker that tests must not stop. */
export function sharedBroker(): StartedBroker {
  const stop = async () => {};
  return {
    kind: 'local',
    brokers: inject('brokers'),
    description: inject('brokerDescription'),
    kafkaVersion: undefined,
    readyMs: 0,
    disposable: true,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
