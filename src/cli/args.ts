import { parseArgs } from 'node:util';
import { clientNames, defaultClient, type ClientName } from '../consumer/clients.ts';
import { knobCatalogue, type KnobName } from '../runner/knobs.ts';
import { UserError } from '../util/errors.ts';
import { defaultRunsKept } from '../util/prune.ts';

/** The knob values the user typed (which ones a scenario accepts is decided later, by resolveKnobs). */
export type GivenKnobs = Partial<Record<KnobName, number>>;

export interface CliOptions {
  scenario: string | undefined;
  list: boolean;
  help: boolean;
  json: boolean;
  lang: string | undefined;
  broker: string | undefined;
  /** Run folders kept per scenario under results/ (older ones are deleted after the run). */
  keepRuns: number;
  /** Scenarios run at once by "all" (those that kill or restart the broker always run alone). */
  jobs: number;
  /** The Kafka client the strategies run on. */
  client: ClientName;
  /** Step mode: stop at each phase and significant event, go on at Enter. */
  step: boolean;
  /** Leave the run's topic and groups on the broker (lesson broker or external cluster). */
  keep: boolean;
  knobs: GivenKnobs;
}

/**
 * "all" runs this many scenarios at once by default. The session is 1.5 s; what matters is the
 * longest silence of a live consumer (KOL_LOG_HEARTBEAT_GAPS), which grows with the processes
 * starting at once. On 2 cores with CPU stolen by the hypervisor (2026-12-03, tenth session, runs
 * alone): 4 at a time 0.40–0.91 s over eight runs, and one more run in which three members went
 * silent for over 1.5 s and were evicted (counts off: 0/101, 106 deliveries); 3 at a time 0.36–0.46 s,
 * 2 at a time 0.30–0.32 s. Three keeps a margin above three for ~1–2 s more per `all`.
 */
export const defaultJobs = 3;

/** Every knob of the catalogue, in its order (the order of --help). */
export const knobNames = Object.keys(knobCatalogue) as KnobName[];

const generalOptions = {
  help: { type: 'boolean', short: 'h' },
  list: { type: 'boolean' },
  json: { type: 'boolean' },
  lang: { type: 'string' },
  broker: { type: 'string' },
  'keep-runs': { type: 'string' },
  jobs: { type: 'string' },
  client: { type: 'string' },
  step: { type: 'boolean' },
  keep: { type: 'boolean' },
} as const;

/** Turns argv into options; anything malformed is a UserError naming the flag and value. */
export function parseCli(argv: string[]): CliOptions {
  // The knob flags come from the catalogue: a knob added there is a flag here.
  const knobOptions = Object.fromEntries(knobNames.map((name) => [knobCatalogue[name].flag, { type: 'string' as const }]));
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { ...generalOptions, ...knobOptions } });
  } catch (error) {
    throw new UserError(`${(error as Error).message.split('\n')[0]}`, { hint: 'Run with --help to see the options.' });
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const { positionals } = parsed;
  if (positionals.length > 1) {
    throw new UserError(`one scenario at a time, got: ${positionals.join(' ')}`, { hint: 'Run with --list to see the scenarios.' });
  }
  const lang = values.lang as string | undefined;
  if (lang !== undefined && lang !== 'en' && lang !== 'zh') throw new UserError(`--lang must be en or zh, got "${lang}"`);
  const client = (values.client as string | undefined) ?? defaultClient;
  if (!clientNames.includes(client as ClientName)) throw new UserError(`--client must be ${clientNames.join(' or ')}, got "${client}"`);
  const knobs: GivenKnobs = {};
  for (const name of knobNames) {
    const flag = knobCatalogue[name].flag;
    const raw = values[flag];
    if (typeof raw === 'string') knobs[name] = parseWholeNumber(flag, raw);
  }
  return {
    scenario: positionals[0],
    list: values.list === true,
    help: values.help === true,
    json: values.json === true,
    lang,
    broker: values.broker as string | undefined,
    keepRuns: typeof values['keep-runs'] === 'string' ? parseWholeNumber('keep-runs', values['keep-runs']) : defaultRunsKept,
    jobs: typeof values.jobs === 'string' ? parseJobs(values.jobs) : defaultJobs,
    client: client as ClientName,
    step: values.step === true,
    keep: values.keep === true,
    knobs,
  };
}

/** Scenarios at once with `all`: at least one; more than 16 on one broker is no lesson any more. */
function parseJobs(raw: string): number {
  const jobs = parseWholeNumber('jobs', raw);
  if (jobs < 1 || jobs > 16) throw new UserError(`--jobs must be from 1 to 16, got "${raw}"`);
  return jobs;
}

function parseWholeNumber(flag: string, raw: string): number {
  const text = raw.trim();
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw new UserError(`--${flag} must be a whole number, got "${raw}"`);
  return Number(text);
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
  return candidates.slice().sort((x, y) => editDistance(name, x) - editDistance(name, y))[0];
}
