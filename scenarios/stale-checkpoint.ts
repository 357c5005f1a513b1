/**
 * stale-checkpoint — the checkpoint is restored from another point in time (claims B2, D3).
 *
 * Setup: N numbered messages; manual-commit and two file-checkpoint consumers.
 * Fault: each is SIGKILLed after message (crashBatch−1)·batch + crashAfter; then, before the
 * restart:
 * - restored-backup: its checkpoint is replaced by the first one it ever wrote (a backup or
 *   a rollback of the volume): the position after batch 1;
 * - ahead: its checkpoint is replaced by one two batches past the crash batch (a file copied
 *   from another environment, or written before the work was done).
 *
 * Mechanism (predictions, exact for any partitions and sizes):
 * - manual-commit: Kafka's committed offset is not rolled back with the disk: crashAfter
 *   repeated (with crashBatch 1 nothing was committed: the crashAfter messages from the start).
 * - restored-backup resumes at its first save (after message `batch`, naming every partition
 *   read by then): everything processed after that save is repeated, c − batch. With crashBatch
 *   1 there was no save, hence no backup: the file is missing and the fallback (earliest)
 *   repeats all c.
 * - ahead: every partition's checkpoint is set to min(its end, (crashBatch + 2)·batch): the
 *   messages between what was processed and that position are skipped; the positions never
 *   pass a partition's end (a seek past the end would be out of range and kafkajs would reset
 *   to the earliest offset, a different lesson). Lost Σ min(end_p, (C+2)·B) − c.
 */
import type { StrategyReport } from '../src/checker/check.ts';
import type { HistoryEvent, Positions } from '../src/history/events.ts';
import type { Lang } from '../src/report/lang.ts';
import { killAt } from '../src/faults/kill-at.ts';
import { rewriteCheckpoint } from '../src/faults/world-changes.ts';
import { partitionSizes } from '../src/model/fetch-model.ts';
import { crashMessage, defineScenario, type Knobs } from '../src/runner/scenario.ts';

const aheadPosition = (k: Knobs) => (k.crashBatch + 2) * k.batch;
const aheadPositions = (k: Knobs): Positions => Object.fromEntries(partitionSizes(k.messages, k.partitions).map((end, p) => [p, Math.min(end, aheadPosition(k))]));
const aheadTotal = (k: Knobs) => Object.values(aheadPositions(k)).reduce((a, b) => a + b, 0);
/** The first positions an instance saved (a backup taken early). */
function firstSave(history: HistoryEvent[], instance: string): Positions | undefined {
  const first = history.find((e) => e.kind === 'saved' && e.strategy === instance);
  return first?.kind === 'saved' ? first.positions : undefined;
}

export default defineScenario({
  name: 'stale-checkpoint',
  summary: {
    en: 'the checkpoint is restored from an older backup, or is ahead of the work: replays or skips',
    zh: 'checkpoint 从旧备份恢复，或者比实际处理进度超前：重放或跳过',
  },
  knobs: { messages: { default: 1000 }, partitions: { default: 1 }, batch: { default: 100 }, crashAfter: { default: 37 }, crashBatch: { default: 3 } },
  instances: [
    { name: 'manual-commit', strategy: 'manual-commit' },
    { name: 'restored-backup', strategy: 'file-checkpoint' },
    { name: 'ahead', strategy: 'file-checkpoint' },
  ],
  faults: (k) => [
    killAt({ point: 'mid-batch', atProcessed: crashMessage(k) }),
    rewriteCheckpoint({ instance: 'restored-backup', why: 'its first version', positions: (context) => firstSave(context.history(), 'restored-backup') }),
    rewriteCheckpoint({ instance: 'ahead', why: 'one ahead of the work', positions: () => aheadPositions(k) }),
  ],
  predict: (k) => ({
    'manual-commit': { lost: 0, duplicated: k.crashAfter },
    'restored-backup': { lost: 0, duplicated: k.crashBatch === 1 ? crashMessage(k) : crashMessage(k) - k.batch },
    ahead: { lost: aheadTotal(k) - crashMessage(k), duplicated: 0 },
  }),
  lesson,
});

function lesson(k: Knobs, strategies: StrategyReport[], lang: Lang): string[] {
  const at = crashMessage(k);
  const by = (name: string) => strategies.find((s) => s.strategy === name);
  const ahead = aheadPosition(k);
  const noBackup = k.crashBatch === 1;
  if (lang === 'zh') {
    return [
      `三个消费者都在处理完第 ${at} 条后被 SIGKILL；重启前两个 checkpoint 被替换。`,
      noBackup
        ? `restored-backup：崩溃发生在第一次保存之前，没有可以恢复的旧版本：文件不存在，按回退策略从头开始，重复 ${by('restored-backup')?.duplicated ?? 0} 条。`
        : `restored-backup：换成了它写的第一个版本（第 ${k.batch} 条之后，像从备份或卷快照回滚）。重启后从那里开始，之后已处理的消息全部重复：重复 ${by('restored-backup')?.duplicated ?? 0} 条。`,
      `ahead：每个分区的位置都被设成超前的 offset ${ahead}（不超过分区末尾；像从别的环境复制来或在处理前就写好的文件）。已处理的位置和它之间的消息从未被处理：丢失 ${by('ahead')?.lost ?? 0} 条。`,
      `manual-commit 的位置在 Kafka 里，不会随磁盘一起回滚：只重复 ${by('manual-commit')?.duplicated ?? 0} 条。不过 Kafka 的提交也不是永久的：消费者组没有成员之后，提交的 offset 在 offsets.retention.minutes（默认 7 天）后会被删除（Kafka 的规则）。checkpoint 文件没有任何机制检查它是否和实际处理的结果一致（D3）。`,
    ];
  }
  return [
    `All three consumers were SIGKILLed after message ${at}; before the restart two checkpoints were replaced.`,
    noBackup
      ? `restored-backup: the crash came before its first save, so there was no older version to restore: the file was missing and the fallback started at the beginning: ${by('restored-backup')?.duplicated ?? 0} duplicated.`
      : `restored-backup got its first version back (after message ${k.batch}, as from a backup or a volume snapshot): the restart began there and repeated everything processed since: ${by('restored-backup')?.duplicated ?? 0} duplicated.`,
    `ahead got, on every partition, a position past the work (offset ${ahead}, at most the partition's end; as a file copied from another environment or written before the work was done): the messages between what was processed and that position were never processed: ${by('ahead')?.lost ?? 0} lost.`,
    `manual-commit keeps its position in Kafka, which is not rolled back with a disk: ${by('manual-commit')?.duplicated ?? 0} duplicated. Kafka's commits are not forever either: once a group has no members, its committed offsets expire after offsets.retention.minutes (7 days by default; Kafka's rule). Nothing checks that a checkpoint file matches the work actually done (D3).`,
  ];
}
