import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import type { HistoryEvent } from './events.ts';

/**
 * Appends one event per line with a synchronous write: once the call returns the line is in
 * the kernel's page cache and survives a SIGKILL of this process.
 */
export class JsonlWriter {
  readonly path: string;
  constructor(path: string) {
    this.path = path;
  }
  append(event: HistoryEvent): void {
    appendFileSync(this.path, JSON.stringify(event) + '\n');
  }
  appendMany(events: readonly HistoryEvent[]): void {
    if (events.length === 0) return;
    appendFileSync(this.path, events.map((event) => JSON.stringify(event)).join('\n') + '\n');
  }
}

/**
 * Reads a history file. A process killed in the middle of a write can leave a torn last
 * line; it is reported, not silently dropped, because the sink write happens before the
 * message counts as processed.
 */
export function readJsonl(path: string): { events: HistoryEvent[]; tornLines: number } {
  if (!existsSync(path)) return { events: [], tornLines: 0 };
  const events: HistoryEvent[] = [];
  let tornLines = 0;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      events.push(JSON.parse(line) as HistoryEvent);
    } catch {
      tornLines++;
    }
  }
  return { events, tornLines };
}
