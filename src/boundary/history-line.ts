/**
 * One line of a history file, checked kind by kind: the history is the contract between the
 * runner, the strategy processes and the checker, so a line that does not fit it (torn by a
 * SIGKILL mid-write, or written by a bug) is refused, never guessed at.
 */
import type { CrashPointName, EventOf, HistoryEvent, HistoryEventKind } from '../history/events.ts';
import type { SavedVia } from '../strategies/strategy.ts';
import { allOf, BoundaryError, Fields, isObject, isWholeNumber, parseJson } from './check.ts';

const savedVia = allOf<SavedVia>()(['kafka-commit', 'auto-commit', 'checkpoint-file', 'database', 'transaction', 'snapshot']);
const crashPoints = allOf<CrashPointName>()(['before-process', 'mid-batch', 'during-save', 'after-save']);

/** The fields every event of a strategy process carries. */
const processFields = (f: Fields) => ({ strategy: f.string('strategy', { nonEmpty: true }), incarnation: f.wholeNumber('incarnation', 1) });

/** One reader per kind; a kind without a reader does not compile. */
const readers: { [K in HistoryEventKind]: (f: Fields) => Omit<EventOf<K>, 'kind'> } = {
  produced: (f) => ({ partition: f.wholeNumber('partition'), offset: f.wholeNumber('offset'), seq: f.wholeNumber('seq') }),
  started: (f) => ({ ...processFields(f), pid: f.wholeNumber('pid'), time: f.wholeNumber('time') }),
  joined: (f) => {
    const member = f.optionalString('member');
    return {
      ...processFields(f),
      partitions: f.wholeNumbers('partitions'),
      resumeFrom: f.positions('resumeFrom'),
      ...(member !== undefined && { member }),
      time: f.wholeNumber('time'),
    };
  },
  processed: (f) => ({
    ...processFields(f),
    partition: f.wholeNumber('partition'),
    offset: f.wholeNumber('offset'),
    // -1: the message carried no sequence number (decodeSeq), which the checker reports.
    seq: f.wholeNumber('seq', -1),
  }),
  saved: (f) => ({ ...processFields(f), via: f.oneOf('via', savedVia), positions: f.positions('positions'), time: f.wholeNumber('time') }),
  crash: (f) => ({
    ...processFields(f),
    point: f.oneOf('point', crashPoints),
    processedInIncarnation: f.wholeNumber('processedInIncarnation'),
    time: f.wholeNumber('time'),
  }),
  fallback: (f) => {
    const detail = f.optionalString('detail');
    return {
      ...processFields(f),
      reason: f.oneOf('reason', ['missing', 'unreadable']),
      ...(detail !== undefined && { detail }),
      policy: f.oneOf('policy', ['earliest', 'latest']),
      time: f.wholeNumber('time'),
    };
  },
  'save-failed': (f) => ({ ...processFields(f), positions: f.positions('positions'), error: f.string('error'), time: f.wholeNumber('time') }),
  frozen: (f) => ({ ...processFields(f), processedInIncarnation: f.wholeNumber('processedInIncarnation'), time: f.wholeNumber('time') }),
  survived: (f) => ({ ...processFields(f), source: f.oneOf('source', ['kafka', 'file']), positions: f.positions('positions'), time: f.wholeNumber('time') }),
  fault: (f) => ({ description: f.string('description'), time: f.wholeNumber('time') }),
  drained: (f) => ({ ...processFields(f), time: f.wholeNumber('time') }),
  exited: (f) => ({ ...processFields(f), code: f.nullableWholeNumber('code'), signal: f.nullableString('signal'), time: f.wholeNumber('time') }),
};

export const historyEventKinds = Object.keys(readers) as HistoryEventKind[];

/**
 * One line of a history file; throws BoundaryError for a torn or malformed line.
 * `lineNumber` (1-based), when given, starts the message: `history line 12: …`.
 */
export function parseHistoryLine(line: string, lineNumber?: number): HistoryEvent {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    value = undefined; // the general path below says why
  }
  const fast = perMessageEvent(value);
  if (fast) return fast;
  const where = lineNumber === undefined ? 'history line' : `history line ${lineNumber}`;
  const f = Fields.of(value ?? parseJson(line, where), where);
  const kind = f.string('kind');
  if (!Object.hasOwn(readers, kind)) {
    throw new BoundaryError(`${where}: field "kind" must be a history event kind (${historyEventKinds.join(', ')}), got ${JSON.stringify(kind)}`);
  }
  const fields = readers[kind as HistoryEventKind](f);
  f.done(`not a field of a "${kind}" event`);
  return { kind, ...fields } as HistoryEvent;
}

/**
 * The kinds there are millions of in a big run (produced, processed), checked inline: the same
 * rules as their readers above, without building messages. Anything unusual returns undefined
 * and takes the general path, which names what is wrong.
 */
function perMessageEvent(value: unknown): HistoryEvent | undefined {
  if (!isObject(value)) return undefined;
  const { kind, partition, offset, seq } = value;
  if (!isWholeNumber(partition) || !isWholeNumber(offset)) return undefined;
  if (kind === 'processed') {
    const { strategy, incarnation } = value;
    if (typeof strategy !== 'string' || strategy === '' || !isWholeNumber(incarnation, 1) || !isWholeNumber(seq, -1)) return undefined;
    // Six fields, each one of these: no other field.
    return Object.keys(value).length === 6 ? { kind, strategy, incarnation, partition, offset, seq } : undefined;
  }
  if (kind === 'produced') return isWholeNumber(seq) && Object.keys(value).length === 4 ? { kind, partition, offset, seq } : undefined;
  return undefined;
}
