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
 * Mechanism (predictions; src/model/one-fetch.ts):
 * - commit-after-process last saved after message n0 − 1 (n0 the crash batch's first
 *   message), on every partition; it had processed crashAfter−1 messages since: the restart
 *   repeats them. Duplicates crashAfter−1, no loss, whatever the partitions.
 * - commit-before-process commits, at message n0, the end of the batch it is about to process
 *   on n0's partition, clamped to the partition's end (a partial last batch commits only what
 *   exists). On one partition the restart starts after it: min(crash batch end, N) − c + 1 lost.
 *   With several partitions the batch can run past the end of n0's partition into the next
 *   one, which had nothing committed: the crash then loses nothing and repeats what was
 *   processed on the partitions begun after n0. Which partition comes next is kafkajs's
 *   (unfixed) order: with partitions of unequal size, min/max over every order.
 *   Exact only while every partition comes in the first fetch (the validator refuses more).
 */
import type { StrategyReport } from '../src/checker/check.ts';
import type { Lang } from '../src/report/lang.ts';
import { killAt } from '../src/faults/kill-at.ts';
import { partitionSizes } from '../src/model/fetch-model.ts';
import { commitBeforeProcessCounts } from '../src/model/one-fetch.ts';
import { oneFetchPerPartition } from '../src/model/orders.ts';
import { crashMessage, defineScenario, type Knobs } from '../src/runner/scenario.ts';

const beforeCounts = (k: Knobs) => commitBeforeProcessCounts(partitionSizes(k.messages, k.partitions), k.batch, crashMessage(k));

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
  validate: (k, flag) =>
    !oneFetchPerPartition(k.messages, k.partitions)
      ? `${flag('messages')} over ${flag('partitions')} needs more than one fetch per partition (1 MiB each), where the commits before processing depend on fetch boundaries this scenario does not model: use fewer messages or more partitions`
      : beforeCounts(k) === undefined
        ? `${flag('messages')} over ${flag('partitions')} gives partitions of unequal size in too many orders to predict: make --messages a multiple of --partitions`
        : undefined,
  predict: (k) => ({
    'commit-after-process': { lost: 0, duplicated: k.crashAfter - 1 },
    'commit-before-process': beforeCounts(k) ?? { lost: { min: 0, max: k.messages }, duplicated: { min: 0, max: k.messages } },
  }),
  lesson,
});

function lesson(k: Knobs, strategies: StrategyReport[], lang: Lang): string[] {
  const at = crashMessage(k);
  const by = (name: string) => strategies.find((s) => s.strategy === name);
  const after = by('commit-after-process');
  const before = by('commit-before-process');
  const batchStart = (k.crashBatch - 1) * k.batch + 1;
  const batchEnd = Math.min(k.crashBatch * k.batch, k.messages);
  const one = k.partitions === 1;
  if (lang === 'zh') {
    return [
      `两个消费者都在即将处理第 ${at} 条消息时被 SIGKILL 杀死（第 ${k.crashBatch} 批的第 ${k.crashAfter} 条，每批 ${k.batch} 条）。`,
      `commit-after-process：最后一次提交在第 ${batchStart - 1} 条之后，覆盖所有分区，之后处理了 ${k.crashAfter - 1} 条但没提交；重启后这些消息再处理一遍：重复 ${after?.duplicated ?? 0} 条，丢失 ${after?.lost ?? 0} 条（至少一次）。`,
      one
        ? `commit-before-process：在处理第 ${batchStart} 条之前就提交了这一批的末尾（不超过分区末尾，下一个要读的是第 ${batchEnd + 1} 条）；重启后从那里开始，第 ${at}–${batchEnd} 条永远不会被处理：丢失 ${before?.lost ?? 0} 条，重复 ${before?.duplicated ?? 0} 条（至多一次）。`
        : `commit-before-process：在第 ${batchStart} 条之前只为它所在的分区提交了这一批的末尾（不超过分区末尾）。崩溃若在同一个分区，提交范围内剩下的消息丢失；若这一批已经进入下一个分区，那个分区还没有任何提交，重启后从头重读（重复）。丢失 ${before?.lost ?? 0} 条，重复 ${before?.duplicated ?? 0} 条。分区的处理顺序由 kafkajs 决定且不固定。`,
      `提交的 offset 表示“下一条要读的消息”，这是 Kafka 的规则；什么时候提交由使用者（这里是手动提交）决定。所以“自动提交会在处理前提交而丢消息”（C4）描述的其实是“先提交后处理”这个顺序；“处理完再手动提交”（C5）确实避免了丢失，但代价是重复。`,
    ];
  }
  return [
    `Both consumers were SIGKILLed just before processing message ${at} (message ${k.crashAfter} of batch ${k.crashBatch}, batches of ${k.batch}).`,
    `commit-after-process had last committed after message ${batchStart - 1}, on every partition, and processed ${k.crashAfter - 1} messages since without committing; the restart processed them again: ${after?.duplicated ?? 0} duplicated, ${after?.lost ?? 0} lost (at-least-once).`,
    one
      ? `commit-before-process had committed the end of the batch (at most the partition's end: next message ${batchEnd + 1}) before processing message ${batchStart}; the restart began there, so messages ${at}–${batchEnd} were never processed: ${before?.lost ?? 0} lost, ${before?.duplicated ?? 0} duplicated (at-most-once).`
      : `commit-before-process committed, before message ${batchStart}, the end of the batch on that message's partition only (at most the partition's end). A crash on the same partition skips the rest of that range (lost); once the batch has run into the next partition, that partition had nothing committed and is read again from its start (duplicated): ${before?.lost ?? 0} lost, ${before?.duplicated ?? 0} duplicated. The order of the partitions is kafkajs's, and not fixed.`,
    `That a committed offset names the next message to read is Kafka's rule; when to commit is the application's choice (here, manual commits). So "auto-commit commits before processing and loses messages" (C4) describes the commit-before-process order; "commit manually after processing" (C5) does avoid the loss, and pays with duplicates.`,
  ];
}
