/**
 * Everything that crosses a process or file boundary is parsed and checked here, once:
 * the child's configuration, the IPC messages, history lines, checkpoint files. A value that
 * does not fit is refused with a BoundaryError naming the wrong field and what was found.
 */
import { clientNames } from '../consumer/clients.ts';
import type { ChildConfig, ChildMessage, LifePoint, SupervisorMessage, Trigger } from '../consumer/protocol.ts';
import type { Positions } from '../history/events.ts';
import { allOf, BoundaryError, Fields, parseJson } from './check.ts';
import { readStrategyChoice } from './strategy-choice.ts';

export { BoundaryError } from './check.ts';
export { parseHistoryLine } from './history-line.ts';

const lifePoints = allOf<LifePoint>()(['joined', 'before-process', 'mid-batch', 'during-save', 'after-save']);

function readTrigger(f: Fields): Trigger {
  const id = f.string('id', { nonEmpty: true });
  const point = f.oneOf('point', lifePoints);
  const action = f.oneOf('action', ['die', 'hold']);
  // A message point without its message number could never be reached.
  const atProcessed = point === 'joined' ? f.optionalWholeNumber('atProcessed', 1) : f.wholeNumber('atProcessed', 1);
  const record = f.optionalOneOf('record', ['frozen']);
  const liveHold = f.has('liveHold') && f.boolean('liveHold');
  return { id, point, ...(atProcessed !== undefined && { atProcessed }), action, ...(record !== undefined && { record }), ...(liveHold && { liveHold: true as const }) };
}

/** The configuration a strategy process gets from the supervisor (JSON text). */
export function parseChildConfig(text: string): ChildConfig {
  const where = 'child config';
  const f = Fields.of(parseJson(text, where), where);
  const outputTopic = f.optionalString('outputTopic', { nonEmpty: true });
  const config: ChildConfig = {
    choice: readStrategyChoice(f, 'choice', where),
    client: f.oneOf('client', clientNames),
    instance: f.string('instance', { nonEmpty: true }),
    row: f.string('row', { nonEmpty: true }),
    incarnation: f.wholeNumber('incarnation', 1),
    brokers: f.strings('brokers', { nonEmpty: true }),
    topic: f.string('topic', { nonEmpty: true }),
    ...(outputTopic !== undefined && { outputTopic }),
    groupId: f.string('groupId', { nonEmpty: true }),
    workDir: f.string('workDir', { nonEmpty: true }),
    historyPath: f.string('historyPath', { nonEmpty: true }),
    batchSize: f.wholeNumber('batchSize', 1),
    triggers: f.objects('triggers', readTrigger),
    drainTo: f.positions('drainTo'),
    logStart: f.positions('logStart'),
    sessionTimeoutMs: f.wholeNumber('sessionTimeoutMs', 1),
    heartbeatIntervalMs: f.wholeNumber('heartbeatIntervalMs', 1),
    retryWindowMs: f.wholeNumber('retryWindowMs', 1),
    securityFromEnv: f.boolean('securityFromEnv'),
  };
  f.done();
  return config;
}

const childMessageReaders: { [T in ChildMessage['type']]: (f: Fields) => Extract<ChildMessage, { type: T }> } = {
  joined: (f) => ({ type: 'joined', partitions: f.wholeNumbers('partitions') }),
  progress: (f) => ({ type: 'progress', processed: f.wholeNumber('processed') }),
  reached: (f) => {
    const trigger = f.string('trigger', { nonEmpty: true });
    return f.has('partitions') ? { type: 'reached', trigger, partitions: f.wholeNumbers('partitions') } : { type: 'reached', trigger };
  },
  'harness-artifact': (f) => ({ type: 'harness-artifact', message: f.string('message') }),
  idle: () => ({ type: 'idle' }),
};

/** A message a strategy process sent to the supervisor over IPC. */
export function parseChildMessage(value: unknown): ChildMessage {
  const where = 'message from a strategy process';
  const f = Fields.of(value, where);
  const type = f.oneOf('type', Object.keys(childMessageReaders) as Array<ChildMessage['type']>);
  const message = childMessageReaders[type](f);
  f.done(`not a field of a "${type}" message`);
  return message;
}

/** A message the supervisor sent to a strategy process over IPC. */
export function parseSupervisorMessage(value: unknown): SupervisorMessage {
  const where = 'message from the supervisor';
  const f = Fields.of(value, where);
  const message: SupervisorMessage = { type: f.oneOf('type', ['continue']), trigger: f.string('trigger', { nonEmpty: true }) };
  f.done();
  return message;
}

/** The checkpoint file's one format: { topic, positions: { partition: nextOffset } }. */
export function formatCheckpointFile(topic: string, positions: Positions): string {
  return JSON.stringify({ topic, positions });
}

/**
 * Reads a checkpoint file's text for `topic`; throws BoundaryError saying what is wrong with
 * it. `fileName` starts the message (`checkpoint.json: positions["x"]: …`). With `topicEnds`
 * (the topic's partitions and their end offsets), a partition the topic does not have or an
 * offset past the partition's end is refused too: no position the topic could never hold.
 */
export function parseCheckpointFile(text: string, topic: string, fileName = 'checkpoint.json', topicEnds?: Positions): Positions {
  if (text.trim() === '') throw new BoundaryError(`${fileName}: empty file`);
  const f = Fields.of(parseJson(text, fileName), fileName, 'a JSON object {"topic": …, "positions": {…}}');
  const found = f.string('topic');
  if (found !== topic) throw new BoundaryError(`${fileName}: field "topic" is ${JSON.stringify(found)}: a checkpoint of another topic, not of ${JSON.stringify(topic)}`);
  const positions = f.positions('positions');
  f.done('a checkpoint has only "topic" and "positions"');
  if (topicEnds) {
    for (const [p, offset] of Object.entries(positions)) {
      const end = topicEnds[Number(p)];
      if (end === undefined) {
        throw new BoundaryError(`${fileName}: positions["${p}"]: ${topic} has no partition ${p} (its partitions: ${Object.keys(topicEnds).join(', ')})`);
      }
      if (offset > end) throw new BoundaryError(`${fileName}: positions["${p}"]: offset ${offset} is past the end of ${topic}/${p} (${end})`);
    }
  }
  return positions;
}
