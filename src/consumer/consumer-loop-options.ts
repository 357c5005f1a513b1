import type { HistoryEvent, Positions } from '../history/events.ts';
import type { Strategy } from '../strategies/strategy.ts';
import type { ConsumerPort } from './port.ts';
import type { Trigger } from './protocol.ts';
import type { SupervisorChannel } from './triggers.ts';

/** Where the loop records its history: a JsonlWriter in a strategy process, an array in a test. */
export interface HistorySink {
  append(event: HistoryEvent): void;
}

export interface ConsumerLoopOptions {
  port: ConsumerPort;
  strategy: Strategy;
  history: HistorySink;
  triggers: readonly Trigger[];
  channel: SupervisorChannel;
  instance: string;
  incarnation: number;
  /** Only named in messages. */
  topic: string;
  /** Saving unit: the strategy saves after every `batchSize` processed messages. */
  batchSize: number;
  /** Exit cleanly once every partition is read up to these end offsets. */
  drainTo: Positions;
  /** First offset in the log per partition: where "earliest" resumes. */
  logStart: Positions;
  /** Called at a die trigger once its `crash` event is recorded; default: SIGKILL this process. */
  die?: () => never;
  /** Default: process.exit. */
  exit?: (code: number) => void;
  /** Where the loop says what went wrong; default: stderr. */
  log?: (line: string) => void;
}

/** The default death at a die trigger: no finally, no goodbye to the group. */
export const killSelf = (): never => {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable: SIGKILL did not stop the process');
};
