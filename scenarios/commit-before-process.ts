/**
 * commit-before-process — committing before processing is at-most-once (claims C4/C5 the
 * other way round).
 *
 * Setup: N numbered messages, one partition by default. Two manual-commit consumers:
 * - commit-after-process: processes a batch, then commits offset+1 (the usual way);
 * - commit-before-process: when a batch starts, commits the batch's end first, then processes.
 * Fault: each is SIGKILLed just before processing message (crashBatch−1)·batch + crashAfter,
 * after its save for that batch (if any) and before the message's side effect.
 *
 * Mechanism (predictions, exact for one partition):
 * - commit-after-process last committed the end of batch crashBatch−1; it had processed
 *   crashAfter−1 messages since: the restart repeats them. Duplicates crashAfter−1, no loss.
 * - commit-before-process had already committed the end of the crash batch; the restart
 *   starts after it, so the batch's messages from the crash message on are never processed:
 *   lost batch − crashAfter + 1, no duplicates. Exactly what "at-most-once" means.
 * With several partitions the before-process variant commits each partition's batch end
 * when that partition's batch starts; how the partitions interleave decides the counts: a range.
 */
import type { StrategyReport } from '../src/checker/check.ts';
import type { Lang } from '../src/report/lang.ts';
import { killAt } from '../src/faults/kill-at.ts';
import { crashMessage, defineScenario, type Knobs } from '../src/runner/scenario.ts';

export default defineScenario({
  name: 'commit-before-process',
  summary: {
    en: 'commit before processing vs after: SIGKILL between the commit and the work loses messages (at-most-once)',
    zh: '先提交再处理 vs 先处理再提交：在提交之后、处理之前被 SIGKILL 会丢消息（至多一次）',
  },
  knobs: { messages: { default: 1000 }, partitions: { default: 1 }, batch: { default: 100 }, crashAfter: { default: 37 }, crashBatch: { default: 3 } },
  instances: [
    { name: 'commit-after-process', strategy: 'manual-commit' },
    { name: 'commit-before-process', strategy: 'manual-commit', options: { commitOrder: 'before-process' } },
  ],
  faults: (k) => [killAt({ point: 'before-process', atProcessed: crashMessage(k) })],
  predict: (k) => ({
    'commit-after-process': { lost: 0, duplicated: k.crashAfter - 1 },
    'commit-before-process':
      k.partitions === 1
        ? { lost: k.batch - k.crashAfter + 1, duplicated: 0 }
        : { lost: { min: 1, max: k.messages }, duplicated: 0 },
  }),
  lesson,
});

function lesson(k: Knobs, strategies: StrategyReport[], lang: Lang): string[] {
  const at = crashMessage(k);
  const by = (name: string) => strategies.find((s) => s.strategy === name);
  const after = by('commit-after-process');
  const before = by('commit-before-process');
  const batchStart = (k.crashBatch - 1) * k.batch + 1;
  const batchEnd = k.crashBatch * k.batch;
  if (lang === 'zh') {
    return [
      `两个消费者都在即将处理第 ${at} 条消息时被 SIGKILL 杀死（第 ${k.crashBatch} 批的第 ${k.crashAfter} 条，每批 ${k.batch} 条）。`,
      `commit-after-process：最后一次提交是第 ${k.crashBatch - 1} 批的末尾，之后处理了 ${k.crashAfter - 1} 条但没提交；重启后这些消息再处理一遍：重复 ${after?.duplicated ?? 0} 条，丢失 ${after?.lost ?? 0} 条（至少一次）。`,
      `commit-before-process：在处理第 ${batchStart} 条之前就提交了这一批的末尾（下一个要读的是第 ${batchEnd + 1} 条）；重启后从那里开始，第 ${at}–${batchEnd} 条永远不会被处理：丢失 ${before?.lost ?? 0} 条，重复 ${before?.duplicated ?? 0} 条（至多一次）。`,
      `所以“自动提交会在处理前提交而丢消息”（C4）描述的其实是“先提交后处理”这个顺序；“处理完再手动提交”（C5）确实避免了丢失，但代价是重复。`,
    ];
  }
  return [
    `Both consumers were SIGKILLed just before processing message ${at} (message ${k.crashAfter} of batch ${k.crashBatch}, batches of ${k.batch}).`,
    `commit-after-process had last committed the end of batch ${k.crashBatch - 1} and processed ${k.crashAfter - 1} messages since without committing; the restart processed them again: ${after?.duplicated ?? 0} duplicated, ${after?.lost ?? 0} lost (at-least-once).`,
    `commit-before-process had committed the end of the batch (next message ${batchEnd + 1}) before processing message ${batchStart}; the restart began there, so messages ${at}–${batchEnd} were never processed: ${before?.lost ?? 0} lost, ${before?.duplicated ?? 0} duplicated (at-most-once).`,
    `So "auto-commit commits before processing and loses messages" (C4) describes the commit-before-process order; "commit manually after processing" (C5) does avoid the loss, and pays with duplicates.`,
  ];
}
