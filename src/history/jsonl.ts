import { appendFileSync, closeSync, existsSync, openSync, readSync, writeSync } from 'node:fs';
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
    this.#write(JSON.stringify(event) + '\n');
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

/** What reading a history file found. */
export interface HistoryRead {
  /** The events of the lines that parsed (the array passed in, when one was). */
  events: HistoryEvent[];
  /** Lines that are torn (a write cut short) or malformed (not an event of the contract). */
  tornLines: number;
  /** The first of those lines' problem, with the file and line number; undefined when none. */
  firstProblem: string | undefined;
}

const chunkBytes = 1 << 20;
const newline = 0x0a;

/**
 * Reads a history file line by line, in chunks, so a file of any size fits (no whole-file
 * string, no spread). Events are pushed onto `into` when given, so several files gather in
 * one array without copying. A process killed in the middle of a write can leave a torn last
 * line; it is counted and reported, not silently dropped, because the sink write happens
 * before the message counts as processed.
 */
export function readJsonl(path: string, into: HistoryEvent[] = []): HistoryRead {
  const result: HistoryRead = { events: into, tornLines: 0, firstProblem: undefined };
  if (!existsSync(path)) return result;
  let lineNumber = 0;
  const onLine = (bytes: Buffer) => {
    lineNumber++;
    const line = bytes.toString('utf8');
    if (line.trim() === '') return;
    try {
      into.push(parseHistoryLine(line, lineNumber));
    } catch (error) {
      if (!(error instanceof BoundaryError)) throw error;
      result.tornLines++;
      result.firstProblem ??= `${path}: ${error.message}`;
    }
  };
  const fd = openSync(path, 'r');
  try {
    const chunk = Buffer.allocUnsafe(chunkBytes);
    // The unfinished line carried from one chunk to the next (split on the newline byte,
    // which never occurs inside a multi-byte UTF-8 character).
    let carried: Buffer = Buffer.alloc(0);
    for (let read = readSync(fd, chunk); read > 0; read = readSync(fd, chunk)) {
      let start = 0;
      for (let end = chunk.indexOf(newline, start); end !== -1 && end < read; end = chunk.indexOf(newline, start)) {
        const piece = chunk.subarray(start, end);
        onLine(carried.length > 0 ? Buffer.concat([carried, piece]) : piece);
        carried = Buffer.alloc(0);
        start = end + 1;
      }
      carried = Buffer.concat([carried, chunk.subarray(start, read)]);
    }
    if (carried.length > 0) onLine(carried);
  } finally {
    closeSync(fd);
  }
  return result;
}
