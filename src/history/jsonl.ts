import { appendFileSync, closeSync, existsSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { BoundaryError, parseHistoryLine } from '../boundary/parse.ts';
import type { HistoryEvent } from './events.ts';

/**
 * Appends one event per line with a synchronous write on a descriptor kept open: once the
 * call returns the line is in the kernel's page cache and survives a SIGKILL of this process
 * (an open-write-close per line costs about a third of the consumer's throughput).
 */
export class JsonlWriter {
  readonly path: string;
  #fd: number | undefined;
  #closed = false;
  /** Told of each event appended one by one (not of appendMany's bulk: the produced messages). */
  private readonly onAppend: ((event: HistoryEvent) => void) | undefined;
  constructor(path: string, onAppend?: (event: HistoryEvent) => void) {
    this.path = path;
    this.onAppend = onAppend;
  }
  append(event: HistoryEvent): void {
    this.#write(eventLine(event));
    this.onAppend?.(event);
  }
  appendMany(events: readonly HistoryEvent[]): void {
    // In slices: one string for a million events would be tens of megabytes at once.
    for (let i = 0; i < events.length; i += 10_000) {
      this.#write(events.slice(i, i + 10_000).map((event) => JSON.stringify(event)).join('\n') + '\n');
    }
  }
  /** Later appends (a process exit noticed after the run) still land, each with its own open and close. */
  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
    this.#closed = true;
  }
  #write(text: string): void {
    try {
      if (this.#closed) return appendFileSync(this.path, text);
      this.#fd ??= openSync(this.path, 'a');
      writeSync(this.#fd, text);
    } catch (error) {
      // write() errors carry no path (ENOSPC on a full disk): the message must name the file.
      (error as { path?: string }).path ??= this.path;
      throw error;
    }
  }
}

/** The name of the last instance a processed line was written for, as JSON. */
let lastStrategy = '';
let lastStrategyJson = '""';

/**
 * One event as its line. A processed event (one per message, on the consumer's hot path) is
 * written field by field: the same bytes JSON.stringify gives for the loop's events
 * (src/consumer/consumer-loop.ts), whose keys come in this order, at a fraction of the cost.
 */
export function eventLine(event: HistoryEvent): string {
  if (event.kind !== 'processed') return JSON.stringify(event) + '\n';
  if (event.strategy !== lastStrategy) {
    lastStrategy = event.strategy;
    lastStrategyJson = JSON.stringify(event.strategy);
  }
  return `{"kind":"processed","strategy":${lastStrategyJson},"incarnation":${event.incarnation},"partition":${event.partition},"offset":${event.offset},"seq":${event.seq}}\n`;
}

/** What reading a history file found. */
export interface HistoryRead {
  /** The events of the lines that parsed (the array passed in, when one was). */
  events: HistoryEvent[];
  /** Lines that are torn (a write cut short) or malformed (not an event of the contract). */
  tornLines: number;
  /** The first of those lines' problem, with the file and line number; undefined when none. */
  firstProblem: string | undefined;
}

/** What streaming a history file found besides its events. */
export type HistoryScan = Omit<HistoryRead, 'events'>;

const chunkBytes = 1 << 20;
const newline = 0x0a;

/**
 * Reads a history file into an array (`into` when given, so several files gather in one array
 * without copying). For small files and tests: a run's histories can hold millions of events,
 * which the runner folds with forEachEvent instead of holding them.
 */
export function readJsonl(path: string, into: HistoryEvent[] = []): HistoryRead {
  return { events: into, ...forEachEvent(path, (event) => void into.push(event)) };
}

/**
 * Streams a history file line by line, in chunks, so a file of any size passes through a
 * bounded amount of memory (no whole-file string, no array of events). A process killed in
 * the middle of a write can leave a torn last line; it is counted and reported, not silently
 * dropped, because the sink write happens before the message counts as processed.
 * `skip`: kinds whose lines are passed over unparsed (recognised by the writer's
 * `{"kind":"<kind>",` prefix), for readers that want only the few other events.
 */
export function forEachEvent(path: string, visit: (event: HistoryEvent) => void, skip: readonly HistoryEvent['kind'][] = []): HistoryScan {
  const result: HistoryScan = { tornLines: 0, firstProblem: undefined };
  // A large run's histories are kept gzipped once it is over (src/history/compact.ts).
  const file = existsSync(path) ? path : existsSync(`${path}.gz`) ? `${path}.gz` : undefined;
  if (file === undefined) return result;
  const skipped = skip.map((kind) => `{"kind":"${kind}",`);
  let lineNumber = 0;
  const onLine = (line: string) => {
    lineNumber++;
    if (skipped.length > 0 && skipped.some((prefix) => line.startsWith(prefix))) return;
    if (line.trim() === '') return;
    try {
      visit(parseHistoryLine(line, lineNumber));
    } catch (error) {
      if (!(error instanceof BoundaryError)) throw error;
      result.tornLines++;
      result.firstProblem ??= `${file}: ${error.message}`;
    }
  };
  forEachLine(file, onLine);
  return result;
}

/**
 * Calls `onLine` with each line of the file (without its newline), reading it in chunks of
 * 1 MiB: each chunk's complete lines are decoded at once (a newline byte never occurs inside a
 * multi-byte UTF-8 character), the unfinished last line is carried to the next chunk. A `.gz`
 * file is decompressed whole first (one file of a run at a time; ~150 MB at a million messages).
 */
export function forEachLine(path: string, onLine: (line: string) => void): void {
  let carried: Buffer = Buffer.alloc(0);
  for (const chunk of path.endsWith('.gz') ? slices(gunzipSync(readFileSync(path))) : fileChunks(path)) {
    const last = chunk.lastIndexOf(newline);
    if (last === -1) {
      carried = Buffer.concat([carried, chunk]);
      continue;
    }
    const text = (carried.length > 0 ? Buffer.concat([carried, chunk.subarray(0, last)]) : chunk.subarray(0, last)).toString('utf8');
    for (const line of text.split('\n')) onLine(line);
    carried = Buffer.from(chunk.subarray(last + 1));
  }
  if (carried.length > 0) onLine(carried.toString('utf8'));
}

/** The file in 1 MiB chunks, each a view of one reused buffer (valid until the next one). */
function* fileChunks(path: string): Generator<Buffer> {
  const fd = openSync(path, 'r');
  try {
    const chunk = Buffer.allocUnsafe(chunkBytes);
    for (let read = readSync(fd, chunk); read > 0; read = readSync(fd, chunk)) yield chunk.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

function* slices(buffer: Buffer): Generator<Buffer> {
  for (let at = 0; at < buffer.length; at += chunkBytes) yield buffer.subarray(at, at + chunkBytes);
}
