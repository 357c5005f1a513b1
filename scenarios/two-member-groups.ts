/**
 * What the scenarios with two instances per consumer group share (rebalance-handoff,
 * rebalance-right-way): the pairs, where #1's last save was, and the checks their
 * predictions need (equal shares, the crash inside #1's first partition).
 */
import type { KnobNamer } from '../src/runner/knobs.ts';
import { crashMessage, savedBeforeCrash, type InstanceSpec, type Knobs } from '../src/runner/scenario.ts';
import type { StrategyName } from '../src/strategies/strategy.ts';

/** #1 and #2 of a strategy, sharing one consumer group (the table's row). */
export const pairOf = (strategy: StrategyName): InstanceSpec[] =>
  [1, 2].map((n) => ({ name: `${strategy}#${n}`, strategy, group: strategy }) as InstanceSpec);

/** #1's last save before its crash: the end of the batch before the crash batch. */
export const savedAt = (k: Knobs) => savedBeforeCrash(crashMessage(k), k.batch);
export const perPartition = (k: Knobs) => k.messages / k.partitions;

/**
 * The last messages of the survivor's own share (N/2) that it read but had not saved when it
 * took over (it saves after every batch). On a new assignment each partition starts again at
 * its saved position, one the survivor kept too (PartitionBook: both clients start a partition
 * with a commit at that commit; a store that decides seeks there), so these come again.
 */
export const unsavedShare = (k: Pick<Knobs, 'messages' | 'batch'>) => (k.messages / 2) % k.batch;

/** The clause a lesson adds after "#2 … repeated B" when the survivor's own unsaved reads came again too. */
export function unsavedShareClause(k: Pick<Knobs, 'messages' | 'batch'>, lang: 'en' | 'zh'): string {
  const r = unsavedShare(k);
  if (r === 0) return '';
  return lang === 'zh'
    ? `，它自己那一份最后 ${r} 条也又来了一次（${k.messages / 2} 不是 ${k.batch} 的整数倍：读了，接管时还没保存；新的分配上每个分区都从保存的位置重新开始，它保留的分区也一样）`
    : `, and the last ${r} of its own share came again (${k.messages / 2} is not a multiple of ${k.batch}: read, not yet saved when it took over; on a new assignment every partition starts again at its saved position, the ones it kept too)`;
}

/** The knobs a two-member group scenario's predictions need, or what is wrong with them. */
export function twoMemberGroupProblem(name: string, k: Knobs, flag: KnobNamer, { survivorSavedItsShare = false } = {}): string | undefined {
  if (k.partitions < 2 || k.partitions % 2 !== 0) return `${name} needs an even number of partitions (two instances share them), got ${flag('partitions')}`;
  if (k.messages % k.partitions !== 0) return `${flag('messages')} must be a multiple of ${flag('partitions')} so the instances get equal shares`;
  if (survivorSavedItsShare && (k.messages / 2) % k.batch !== 0) {
    return `half of ${flag('messages')} must be a multiple of ${flag('batch')}, so that the survivor has saved all of its own share when it takes over`;
  }
  if (crashMessage(k) >= perPartition(k)) {
    return `the crash (after message ${crashMessage(k)}: ${flag('crashBatch')}, ${flag('crashAfter')}) must fall inside instance #1's first partition (${perPartition(k)} messages): lower the crash or raise --messages`;
  }
  return undefined;
}
