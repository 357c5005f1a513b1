/**
 * A tiny hand-rolled validator for JSON that crosses a process or file boundary. Each read
 * checks one field and, when it does not fit, throws a BoundaryError naming the field and
 * showing what was found: `history line 12: field "offset" must be a whole number, got "abc"`.
 */
import type { Positions } from '../history/events.ts';

export class BoundaryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BoundaryError';
  }
}

/** A found value as a message shows it: JSON, cut short; `nothing` for a missing field. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/**
 * Lists every member of a string union at run time; a member left out does not compile
 * (`{ missing: ... }` names it), so the runtime check cannot drift from the type.
 */
export const allOf =
  <T extends string>() =>
  <const A extends readonly T[]>(values: A & ([T] extends [A[number]] ? unknown : { missing: Exclude<T, A[number]> })): A =>
    values;

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const isWholeNumber = (value: unknown, min = 0): value is number => Number.isSafeInteger(value) && (value as number) >= min;

const wholeNumberText = (min: number) => (min === 0 ? 'a whole number' : min > 0 ? `a whole number ≥ ${min}` : `an integer ≥ ${min}`);

/** Parses JSON text, turning a syntax error (a torn write) into a BoundaryError. */
export function parseJson(text: string, where: string): unknown {
  if (text.trim() === '') throw new BoundaryError(`${where}: empty`);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new BoundaryError(`${where}: not JSON (${(error as Error).message})`);
  }
}

/** Partition → next offset; `label` names it in messages (`positions`, `drainTo`). */
export function readPositions(value: unknown, where: string, label: string): Positions {
  if (!isObject(value)) {
    throw new BoundaryError(`${where}: field "${label}" must be an object {"<partition>": nextOffset}, got ${show(value)}`);
  }
  const positions: Positions = {};
  for (const [key, offset] of Object.entries(value)) {
    // Canonical decimal only: "01" or "1.0" would be a different key once written back.
    if (!/^(0|[1-9]\d*)$/.test(key) || !Number.isSafeInteger(Number(key))) {
      throw new BoundaryError(`${where}: ${label}[${JSON.stringify(key)}]: partition must be a whole number`);
    }
    if (!isWholeNumber(offset)) {
      throw new BoundaryError(`${where}: ${label}[${JSON.stringify(key)}]: offset must be a whole number, got ${show(offset)}`);
    }
    positions[Number(key)] = offset;
  }
  return positions;
}

/**
 * One JSON object read field by field. `done()` refuses any field that was not read: a
 * typo, or a writer of another version, is reported instead of silently ignored.
 */
export class Fields {
  private readonly where: string;
  private readonly source: Record<string, unknown>;
  private readonly prefix: string;
  private readonly read = new Set<string>();

  private constructor(where: string, object: Record<string, unknown>, prefix: string) {
    this.where = where;
    this.source = object;
    this.prefix = prefix;
  }

  /** `where` starts every message (`child config`, `history line 3`). */
  static of(value: unknown, where: string, what = 'a JSON object'): Fields {
    if (!isObject(value)) throw new BoundaryError(`${where}: must be ${what}, got ${show(value)}`);
    return new Fields(where, value, '');
  }

  /** The full name of a field, as messages show it (`choice.options.write`). */
  name(field: string): string {
    return `${this.prefix}${field}`;
  }

  fail(field: string, expectation: string, found: unknown): never {
    throw new BoundaryError(`${this.where}: field "${this.name(field)}" must be ${expectation}, got ${show(found)}`);
  }

  has(field: string): boolean {
    return this.source[field] !== undefined;
  }

  keys(): string[] {
    return Object.keys(this.source);
  }

  private take(field: string): unknown {
    this.read.add(field);
    return this.source[field];
  }

  wholeNumber(field: string, min = 0): number {
    const value = this.take(field);
    if (!isWholeNumber(value, min)) this.fail(field, wholeNumberText(min), value);
    return value;
  }

  optionalWholeNumber(field: string, min = 0): number | undefined {
    return this.has(field) ? this.wholeNumber(field, min) : undefined;
  }

  string(field: string, options: { nonEmpty?: boolean } = {}): string {
    const value = this.take(field);
    if (typeof value !== 'string' || (options.nonEmpty && value === '')) this.fail(field, options.nonEmpty ? 'a non-empty string' : 'a string', value);
    return value;
  }

  optionalString(field: string, options: { nonEmpty?: boolean } = {}): string | undefined {
    return this.has(field) ? this.string(field, options) : undefined;
  }

  boolean(field: string): boolean {
    const value = this.take(field);
    if (typeof value !== 'boolean') this.fail(field, 'true or false', value);
    return value;
  }

  oneOf<const T extends string>(field: string, values: readonly T[]): T {
    const value = this.take(field);
    if (!values.includes(value as T)) this.fail(field, `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`, value);
    return value as T;
  }

  optionalOneOf<const T extends string>(field: string, values: readonly T[]): T | undefined {
    return this.has(field) ? this.oneOf(field, values) : undefined;
  }

  /** A whole number or null (an exit code), a string or null (a signal). */
  nullableWholeNumber(field: string): number | null {
    if (this.source[field] !== null) return this.wholeNumber(field);
    this.take(field);
    return null;
  }

  nullableString(field: string): string | null {
    if (this.source[field] !== null) return this.string(field);
    this.take(field);
    return null;
  }

  wholeNumbers(field: string): number[] {
    const value = this.take(field);
    if (!Array.isArray(value)) this.fail(field, 'an array of whole numbers', value);
    const index = value.findIndex((item) => !isWholeNumber(item));
    if (index >= 0) this.fail(`${field}[${index}]`, 'a whole number', value[index]);
    return value as number[];
  }

  strings(field: string, options: { nonEmpty?: boolean } = {}): string[] {
    const value = this.take(field);
    if (!Array.isArray(value) || (options.nonEmpty && value.length === 0)) {
      this.fail(field, options.nonEmpty ? 'a non-empty array of strings' : 'an array of strings', value);
    }
    const index = value.findIndex((item) => typeof item !== 'string');
    if (index >= 0) this.fail(`${field}[${index}]`, 'a string', value[index]);
    return value as string[];
  }

  positions(field: string): Positions {
    return readPositions(this.take(field), this.where, this.name(field));
  }

  /** An array of objects, each read by `item` (which gets the element's Fields). */
  objects<T>(field: string, item: (fields: Fields) => T): T[] {
    const value = this.take(field);
    if (!Array.isArray(value)) this.fail(field, 'an array', value);
    return value.map((element, index) => {
      const name = `${field}[${index}]`;
      if (!isObject(element)) this.fail(name, 'an object', element);
      const fields = new Fields(this.where, element, `${this.name(name)}.`);
      const result = item(fields);
      fields.done();
      return result;
    });
  }

  /** A nested object; the caller reads it and calls `done()` on it. */
  object(field: string): Fields {
    const value = this.take(field);
    if (!isObject(value)) this.fail(field, 'an object', value);
    return new Fields(this.where, value, `${this.name(field)}.`);
  }

  /** Refuses the fields nobody read. */
  done(known?: string): void {
    const extra = Object.keys(this.source).find((key) => !this.read.has(key));
    if (extra !== undefined) {
      throw new BoundaryError(`${this.where}: unknown field "${this.name(extra)}"${known ? ` (${known})` : ''}`);
    }
  }
}
