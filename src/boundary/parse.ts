/**
 * Everything that crosses a process or file boundary is parsed and checked here, once:
 * the child's configuration, the IPC messages, history lines, checkpoint files. A value that
 * does not fit is refused with a message naming the wrong field.
 *
 * (Stub signatures: to be filled in with real validation.)
 */
import type { ChildConfig, ChildMessage, SupervisorMessage } from '../consumer/protocol.ts';
import type { HistoryEvent, Positions } from '../history/events.ts';

export class BoundaryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BoundaryError';
  }
}

export function parseChildConfig(text: string): ChildConfig {
  return JSON.parse(text) as ChildConfig;
}

export function parseChildMessage(value: unknown): ChildMessage {
  return value as ChildMessage;
}

export function parseSupervisorMessage(value: unknown): SupervisorMessage {
  return value as SupervisorMessage;
}

/** One line of a history file; throws BoundaryError for a torn or malformed line. */
export function parseHistoryLine(line: string): HistoryEvent {
  return JSON.parse(line) as HistoryEvent;
}

/** The checkpoint file's one format: { topic, positions: { partition: nextOffset } }. */
export function formatCheckpointFile(topic: string, positions: Positions): string {
  return JSON.stringify({ topic, positions });
}

/** Reads a checkpoint file's text for `topic`; throws BoundaryError saying what is wrong with it. */
export function parseCheckpointFile(text: string, topic: string): Positions {
  const parsed = JSON.parse(text) as { topic: string; positions: Positions };
  if (parsed.topic !== topic) throw new BoundaryError('not a checkpoint of this topic');
  return parsed.positions;
}
