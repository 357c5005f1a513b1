import { parseArgs } from 'node:util';
import type { Knobs } from '../runner/scenario.ts';
import { UserError } from '../util/errors.ts';

export interface CliOptions {
  scenario: string | undefined;
  list: boolean;
  help: boolean;
  json: boolean;
  lang: string | undefined;
  broker: string | undefined;
  knobs: Partial<Knobs>;
}

const knobFlags = {
  messages: 'messages',
  partitions: 'partitions',
  batch: 'batch',
  'crash-after': 'crashAfter',
  'crash-batch': 'crashBatch',
} as const satisfies Record<string, keyof Knobs>;

/** Turns argv into options; anything malformed is a UserError naming the flag and value. */
export function parseCli(argv: string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        list: { type: 'boolean' },
        json: { type: 'boolean' },
        lang: { type: 'string' },
        broker: { type: 'string' },
        messages: { type: 'string' },
        partitions: { type: 'string' },
        batch: { type: 'string' },
        'crash-after': { type: 'string' },
        'crash-batch': { type: 'string' },
      },
    });
  } catch (error) {
    throw new UserError(`${(error as Error).message.split('\n')[0]}`, { hint: 'Run with --help to see the options.' });
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) {
    throw new UserError(`one scenario at a time, got: ${positionals.join(' ')}`, { hint: 'Run with --list to see the scenarios.' });
  }
  if (values.lang !== undefined && values.lang !== 'en' && values.lang !== 'zh') {
    throw new UserError(`--lang must be en or zh, got "${values.lang}"`);
  }
  const knobs: Partial<Knobs> = {};
  for (const [flag, knob] of Object.entries(knobFlags)) {
    const raw = values[flag as keyof typeof knobFlags];
    if (raw !== undefined) knobs[knob] = parsePositiveInteger(flag, raw);
  }
  return {
    scenario: positionals[0],
    list: values.list ?? false,
    help: values.help ?? false,
    json: values.json ?? false,
    lang: values.lang,
    broker: values.broker,
    knobs,
  };
}

function parsePositiveInteger(flag: string, raw: string): number {
  if (!/^\d+$/.test(raw.trim())) throw new UserError(`--${flag} must be a whole number, got "${raw}"`);
  return Number(raw.trim());
}

export const limits = { messages: 1_000_000, partitions: 64 } as const;

/** Checks knob values against each other: a crash the run could never reach is an error, not a silent no-op. */
export function validateKnobs(k: Knobs): Knobs {
  const fail = (message: string) => {
    throw new UserError(message);
  };
  if (k.messages < 1 || k.messages > limits.messages) fail(`--messages must be between 1 and ${limits.messages}, got ${k.messages}`);
  if (k.partitions < 1 || k.partitions > limits.partitions) fail(`--partitions must be between 1 and ${limits.partitions}, got ${k.partitions}`);
  if (k.batch < 1) fail(`--batch must be at least 1, got ${k.batch}`);
  if (k.crashAfter < 1 || k.crashAfter > k.batch) {
    fail(`--crash-after must be between 1 and the batch size ${k.batch}, got ${k.crashAfter} (the crash happens inside a batch)`);
  }
  if (k.crashBatch < 1) fail(`--crash-batch must be at least 1, got ${k.crashBatch}`);
  const crashAt = (k.crashBatch - 1) * k.batch + k.crashAfter;
  if (crashAt > k.messages) {
    fail(`the crash would come after message ${crashAt} (batch ${k.crashBatch}, ${k.crashAfter} in), but only ${k.messages} messages are produced; lower --crash-batch/--crash-after or raise --messages`);
  }
  return k;
}

/** Levenshtein distance, for "did you mean". */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

export function closest(name: string, candidates: readonly string[]): string | undefined {
  return [...candidates].sort((x, y) => editDistance(name, x) - editDistance(name, y))[0];
}
