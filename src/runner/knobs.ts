import type { Text } from '../strategies/strategy.ts';

/**
 * The knobs a teacher can turn from the command line. Each scenario declares the ones it
 * uses (with its own default and, where it differs, its own meaning); flags, validation,
 * `--help` and the lesson follow from those declarations. A flag the scenario does not use
 * is refused.
 */
export interface KnobInfo {
  /** The command-line flag, without the dashes. */
  flag: string;
  min: number;
  max: number;
  meaning: Text;
}

const knob = (flag: string, max: number, en: string, zh: string): KnobInfo => ({ flag, min: 1, max, meaning: { en, zh } });

export const knobCatalogue = {
  messages: knob('messages', 1_000_000, 'messages to produce', '写入的消息条数'),
  partitions: knob('partitions', 64, 'partitions of the topic', 'topic 的分区数'),
  batch: knob('batch', 1_000_000, 'the strategies save their position after every B processed messages', '每处理 B 条消息保存一次位置'),
  crashAfter: knob('crash-after', 1_000_000, 'the crash comes K messages into the crash batch (1..B)', '在崩溃所在批次的第 K 条消息之后崩溃（1..B）'),
  crashBatch: knob('crash-batch', 1_000_000, 'the crash happens in batch number C', '崩溃发生在第 C 批'),
} as const satisfies Record<string, KnobInfo>;

export type KnobName = keyof typeof knobCatalogue;
/** Every scenario uses these: the topic and the strategies' saving unit. */
export type BaseKnob = 'messages' | 'partitions' | 'batch';

/** The knob values a scenario runs with: only the knobs it declares. */
export type Knobs<N extends KnobName = KnobName> = { [K in BaseKnob | N]: number };

/** A scenario's declaration of one knob: its default here, and its meaning if it is not the usual one. */
export interface KnobDeclaration {
  default: number;
  meaning?: Text;
}

export type KnobDeclarations<N extends KnobName> = { [K in BaseKnob | N]: KnobDeclaration };

export const flagOf = (name: KnobName) => `--${knobCatalogue[name].flag}`;

/** The message number the crash knobs point at: crashAfter messages into batch crashBatch. */
export const crashMessage = (k: Knobs<'crashAfter' | 'crashBatch'>) => (k.crashBatch - 1) * k.batch + k.crashAfter;

/**
 * How many messages a process that saves after every `batch` had saved when it died after its
 * n-th: its whole batches before the crash's own, whose save comes after the crash point even
 * when the crash is at its last message. At crashMessage(k): (crashBatch − 1) · batch.
 */
export const savedBeforeCrash = (n: number, batch: number) => Math.floor((n - 1) / batch) * batch;

/**
 * Names a knob in an error message the way the user set it: `--crash-after 50`, or, when
 * the user did not give it, `--crash-after (default 100)` — so no message names a flag the
 * user never typed as if they had.
 */
export type KnobNamer = (name: KnobName) => string;

export function knobNamer(values: Partial<Record<KnobName, number>>, given: ReadonlySet<KnobName>): KnobNamer {
  return (name) => (given.has(name) ? `${flagOf(name)} ${values[name]}` : `${flagOf(name)} (default ${values[name]})`);
}
