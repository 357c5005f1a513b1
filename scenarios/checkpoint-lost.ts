/**
 * checkpoint-lost — the checkpoint file is gone after the restart (a new container, a new
 * disk, a wiped volume). Claims B2 (questioned) and D4.
 *
 * Setup: N numbered messages; manual-commit, and two file-checkpoint consumers that differ
 * only in what they do without a checkpoint on restart (earliest or latest).
 * Fault: each is SIGKILLed after message (crashBatch−1)·batch + crashAfter, as in
 * crash-mid-batch; then, before the restart, the checkpoint files are deleted.
 *
 * Mechanism (predictions):
 * - manual-commit: its position lives in Kafka (__consumer_offsets), which the lost disk did
 *   not hold: it resumes at the end of the last saved batch and repeats crashAfter messages.
 * - file-checkpoint + earliest: no file → starts over: repeats every processed message
 *   (the crash message number).
 * - file-checkpoint + latest: no file → starts at the end: loses every message after the crash
 *   (N − crash message number).
 */
import type { StrategyReport } from '../src/checker/check.ts';
import type { Lang } from '../src/report/lang.ts';
import { killAt } from '../src/faults/kill-at.ts';
import { loseCheckpoint } from '../src/faults/world-changes.ts';
import { crashMessage, defineScenario, type Knobs, type RunContext } from '../src/runner/scenario.ts';

const fileInstances = ['file-checkpoint+earliest', 'file-checkpoint+latest'];

export default defineScenario({
  name: 'checkpoint-lost',
  summary: {
    en: 'the checkpoint file is gone after a restart (new container or disk): Kafka commits survive (until offsets.retention.minutes), the file does not',
    zh: '重启后 checkpoint 文件不见了（新容器或新磁盘）：Kafka 的提交还在（直到 offsets.retention.minutes 过期），文件没了',
  },
  knobs: { messages: { default: 1000 }, partitions: { default: 1 }, batch: { default: 100 }, crashAfter: { default: 37 }, crashBatch: { default: 3 } },
  instances: [
    { name: 'manual-commit', strategy: 'manual-commit' },
    { name: 'file-checkpoint+earliest', strategy: 'file-checkpoint', options: { fallback: 'earliest' } },
    { name: 'file-checkpoint+latest', strategy: 'file-checkpoint', options: { fallback: 'latest' } },
  ],
  faults: (k) => [killAt({ point: 'mid-batch', atProcessed: crashMessage(k) }), loseCheckpoint({ instances: fileInstances })],
  predict: (k) => ({
    'manual-commit': { lost: 0, duplicated: k.crashAfter },
    'file-checkpoint+earliest': { lost: 0, duplicated: crashMessage(k) },
    'file-checkpoint+latest': { lost: k.messages - crashMessage(k), duplicated: 0 },
  }),
  lesson,
});

function lesson(k: Knobs, strategies: StrategyReport[], lang: Lang, run: RunContext = { client: 'kafkajs' }): string[] {
  const at = crashMessage(k);
  const platformatic = run.client === 'platformatic';
  const by = (name: string) => strategies.find((s) => s.strategy === name);
  if (lang === 'zh') {
    return [
      `三个消费者都在处理完第 ${at} 条后被 SIGKILL；重启前 checkpoint 文件被删除（就像换了新容器或新磁盘）。`,
      `manual-commit：位置保存在 Kafka（__consumer_offsets）里，不在丢失的磁盘上；从上一批末尾继续，重复 ${by('manual-commit')?.duplicated ?? 0} 条，丢失 ${by('manual-commit')?.lost ?? 0} 条。`,
      `file-checkpoint：没有文件就只能按回退策略：earliest 从头开始，重复 ${by('file-checkpoint+earliest')?.duplicated ?? 0} 条；latest 从末尾开始，丢失 ${by('file-checkpoint+latest')?.lost ?? 0} 条。`,
      `Kafka 的提交也不是永久的：消费者组没有成员之后，提交的 offset 会在 offsets.retention.minutes（默认 7 天）后过期（这是 Kafka 的规则）；在那之前它们不随任何磁盘丢失。回退策略 earliest/latest 是我们自己的代码，${platformatic ? '@platformatic/kafka 里类似的选择是流的 mode 和 fallbackMode（messages-stream.js；不指定时从最新的 offset 开始）' : 'kafkajs 只在 subscribe 的 fromBeginning 里有类似的选择'}。`,
      `所以“崩溃后从检查点恢复能降低丢数据的风险”（B2）只在检查点达到消费者所需的持久程度时成立；放弃 Kafka 自带的提交（D4）意味着你自己要保证这个文件的存活。`,
    ];
  }
  return [
    `All three consumers were SIGKILLed after message ${at}; before the restart the checkpoint files were deleted (as on a new container or disk).`,
    `manual-commit keeps its position in Kafka (__consumer_offsets), not on the lost disk: it resumed at the end of the last batch, ${by('manual-commit')?.duplicated ?? 0} duplicated, ${by('manual-commit')?.lost ?? 0} lost.`,
    `file-checkpoint without its file can only apply its fallback: earliest starts over (${by('file-checkpoint+earliest')?.duplicated ?? 0} duplicated), latest starts at the end (${by('file-checkpoint+latest')?.lost ?? 0} lost).`,
    `Kafka's commits are not forever either: once a group has no members, its committed offsets expire after offsets.retention.minutes (7 days by default; Kafka's rule); until then no lost disk takes them. The earliest/latest fallback is our code; ${platformatic ? "@platformatic/kafka's similar choices are the stream's mode and fallbackMode (messages-stream.js; given neither, it starts at the latest offset)" : "kafkajs's only similar choice is subscribe's fromBeginning"}.`,
    `So "resuming from the checkpoint lowers the risk of losing data" (B2) holds only while the checkpoint is as durable as the consumer needs; giving up Kafka's commits (D4) makes keeping that file alive your job.`,
  ];
}
