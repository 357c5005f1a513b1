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
 * Mechanism (predictions):
 * - manual-commit: Kafka's committed offset is not rolled back with the disk: crashAfter repeated.
 * - restored-backup resumes at batch 1's end: every message after it that was processed is
 *   repeated: crash message − batch.
 * - ahead resumes past messages nobody processed: (crashBatch + 2)·batch − crash message lost.
 */
import type { StrategyReport } from '../src/checker/check.ts';
import type { HistoryEvent, Positions } from '../src/history/events.ts';
import type { Lang } from '../src/report/lang.ts';
import { killAt } from '../src/faults/kill-at.ts';
import { rewriteCheckpoint } from '../src/faults/world-changes.ts';
import { crashMessage, defineScenario, type Knobs } from '../src/runner/scenario.ts';

const aheadPosition = (k: Knobs) => Math.min(k.messages, (k.crashBatch + 2) * k.batch);
const aheadPositions = (k: Knobs): Positions => Object.fromEntries(Array.from({ length: k.partitions }, (_, p) => [p, aheadPosition(k)]));
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
  predict: (k) =>
    k.partitions === 1
      ? {
          'manual-commit': { lost: 0, duplicated: k.crashAfter },
          'restored-backup': { lost: 0, duplicated: crashMessage(k) - k.batch },
          ahead: { lost: aheadPosition(k) - crashMessage(k), duplicated: 0 },
        }
      : {
          'manual-commit': { lost: 0, duplicated: k.crashAfter },
          'restored-backup': { lost: 0, duplicated: { min: 0, max: crashMessage(k) } },
          ahead: { lost: { min: 0, max: k.messages }, duplicated: { min: 0, max: crashMessage(k) } },
        },
  lesson,
});

function lesson(k: Knobs, strategies: StrategyReport[], lang: Lang): string[] {
  const at = crashMessage(k);
  const by = (name: string) => strategies.find((s) => s.strategy === name);
  const ahead = aheadPosition(k);
  if (lang === 'zh') {
    return [
      `三个消费者都在处理完第 ${at} 条后被 SIGKILL；重启前两个 checkpoint 被替换。`,
      `restored-backup：换成了它写的第一个版本（第 1 批末尾，像从备份或卷快照回滚）。重启后从那里开始，之后已处理的消息全部重复：重复 ${by('restored-backup')?.duplicated ?? 0} 条。`,
      `ahead：换成了一个超前的位置（第 ${ahead} 条之后，像从别的环境复制来或在处理前就写好的文件）。第 ${at + 1}–${ahead} 条从未被处理：丢失 ${by('ahead')?.lost ?? 0} 条。`,
      `manual-commit 的位置在 Kafka 里，不会随磁盘一起回滚：只重复 ${by('manual-commit')?.duplicated ?? 0} 条。checkpoint 文件没有任何机制检查它是否和实际处理的结果一致（D3）。`,
    ];
  }
  return [
    `All three consumers were SIGKILLed after message ${at}; before the restart two checkpoints were replaced.`,
    `restored-backup got its first version back (end of batch 1, as from a backup or a volume snapshot): the restart began there and repeated everything processed since: ${by('restored-backup')?.duplicated ?? 0} duplicated.`,
    `ahead got a position past the work (after message ${ahead}, as a file copied from another environment or written before the work was done): messages ${at + 1}–${ahead} were never processed: ${by('ahead')?.lost ?? 0} lost.`,
    `manual-commit keeps its position in Kafka, which is not rolled back with a disk: ${by('manual-commit')?.duplicated ?? 0} duplicated. Nothing checks that a checkpoint file matches the work actually done (D3).`,
  ];
}
