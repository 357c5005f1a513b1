/**
 * crash-mid-batch — the foundation lesson.
 *
 * Setup: N numbered messages on one topic. Three strategies consume the same data, each in
 * its own consumer group and process: auto-commit, manual-commit, file-checkpoint.
 * Fault: each process is killed with SIGKILL right after processing message number
 * (crashBatch − 1) × batch + crashAfter — crashAfter messages into its crashBatch-th batch,
 * before it saves any position for that batch. Then each restarts and drains to the end.
 *
 * Mechanism (the predictions below):
 * - manual-commit and file-checkpoint saved after every full batch, so the restart resumes
 *   at the start of the crash batch and processes the crashAfter messages again: no loss,
 *   exactly crashAfter duplicates. The checkpoint file buys nothing over a Kafka commit here.
 * - auto-commit (kafkajs) commits only offsets whose eachMessage has returned, and only at
 *   the end of a fetched batch, every autoCommitInterval (5000 ms) or before a rebalance.
 *   All messages were produced before the consumers started, so one fetch returned the
 *   whole partition (≤ 10 000 small messages fit in the 1 MiB per-partition fetch limit)
 *   and the crash came long before 5 s: nothing was committed yet. The restart begins again
 *   at the log start and repeats every message the dead process handled. No loss.
 *   With several partitions the partition batches of one fetch are processed one after
 *   another and each ends with a commit, so how many are repeated depends on which
 *   partition was processed first: the prediction is then a range.
 */
import type { StrategyReport } from '../src/checker/check.ts';
import type { Lang } from '../src/report/lang.ts';
import { defineScenario, type Knobs } from '../src/runner/scenario.ts';
import { autoCommitIntervalMs } from '../src/strategies/auto-commit.ts';

/** Messages per partition that one 1 MiB fetch surely holds (each is ~50 bytes on disk). */
const oneFetchLimit = 10_000;

const crashAt = (k: Knobs) => (k.crashBatch - 1) * k.batch + k.crashAfter;

export default defineScenario({
  name: 'crash-mid-batch',
  summary: {
    en: 'SIGKILL each consumer in the middle of a batch, before it saves offsets; restart; count lost and duplicated',
    zh: '在一批消息处理到一半、尚未保存 offset 时用 SIGKILL 杀掉每个消费者，重启后统计丢失与重复',
  },
  defaults: { messages: 1000, partitions: 1, batch: 100, crashAfter: 37, crashBatch: 3 },
  strategies: ['auto-commit', 'manual-commit', 'file-checkpoint'],
  crash: (k) => ({ point: 'mid-batch', atProcessed: crashAt(k) }),
  predict: (k) => ({
    'manual-commit': { lost: 0, duplicated: k.crashAfter },
    'file-checkpoint': { lost: 0, duplicated: k.crashAfter },
    'auto-commit': {
      lost: 0,
      duplicated: k.partitions === 1 && k.messages <= oneFetchLimit ? crashAt(k) : { min: 1, max: crashAt(k) },
    },
  }),
  lesson: (k, strategies, lang) => lesson(k, strategies, lang),
});

function lesson(k: Knobs, strategies: StrategyReport[], lang: Lang): string[] {
  const at = crashAt(k);
  const dup = (name: string) => strategies.find((s) => s.strategy === name)?.duplicated ?? 0;
  const lost = (name: string) => strategies.find((s) => s.strategy === name)?.lost ?? 0;
  const savedBatches = k.crashBatch - 1;
  if (lang === 'zh') {
    return [
      `每个消费者在处理完第 ${at} 条消息后被 SIGKILL 杀死（第 ${k.crashBatch} 批的第 ${k.crashAfter} 条，每批 ${k.batch} 条，尚未保存这一批的 offset），随后重启并读到末尾。`,
      `manual-commit 与 file-checkpoint：已保存到第 ${savedBatches} 批末尾（下一个要读的 offset），重启后从那里继续，把崩溃前处理过但未保存的 ${k.crashAfter} 条再处理一遍：重复 ${dup('manual-commit')} / ${dup('file-checkpoint')} 条，丢失 ${lost('manual-commit')} / ${lost('file-checkpoint')} 条。checkpoint.json 在这里并不比向 Kafka 提交更安全，也不能避免重复（B2、B4 不成立）。`,
      `auto-commit：kafkajs 只提交处理函数已经返回的消息的 offset，并且只在一次 fetch 的批次结束时、每 ${autoCommitIntervalMs} 毫秒或再均衡前提交。` +
        (k.partitions === 1
          ? `整个分区在一次 fetch 中到达，崩溃发生在 ${autoCommitIntervalMs} 毫秒之前，所以什么都还没提交：重启后从头开始，重复了全部 ${dup('auto-commit')} 条，丢失 ${lost('auto-commit')} 条。`
          : `有 ${k.partitions} 个分区时，每个分区批次结束都会提交，重复多少取决于哪个分区先被处理（与时序有关）：这次重复 ${dup('auto-commit')} 条，丢失 ${lost('auto-commit')} 条。`) +
        `“自动提交会丢数据”（C4）只在处理被异步移交时成立；等待处理完成时它是至少一次。`,
      `结论：三种方式都是“至少一次”。重复的数量等于崩溃时“已处理但未保存”的消息数；要想不重复，必须把结果和 offset 原子地存在一起（或使用 Kafka 事务）。`,
    ];
  }
  return [
    `Each consumer was SIGKILLed right after processing message ${at} (message ${k.crashAfter} of batch ${k.crashBatch}, batches of ${k.batch}), before saving any offset for that batch; then it restarted and read to the end.`,
    `manual-commit and file-checkpoint had saved the position at the end of batch ${savedBatches} (the next offset to read), resumed there and processed the ${k.crashAfter} unsaved messages again: ${dup('manual-commit')} / ${dup('file-checkpoint')} duplicated, ${lost('manual-commit')} / ${lost('file-checkpoint')} lost. checkpoint.json is no safer than a Kafka commit here and does not avoid duplicates (B2, B4 do not hold).`,
    `auto-commit: kafkajs commits only offsets whose eachMessage has returned, and only at the end of a fetched batch, every ${autoCommitIntervalMs} ms, or before a rebalance. ` +
      (k.partitions === 1
        ? `The whole partition arrived in one fetch and the crash came before ${autoCommitIntervalMs} ms, so nothing had been committed: the restart began again at the start and repeated all ${dup('auto-commit')}, losing ${lost('auto-commit')}. `
        : `With ${k.partitions} partitions each partition's batch ends with a commit, so how many are repeated depends on which partition was processed first (timing): ${dup('auto-commit')} repeated this time, ${lost('auto-commit')} lost. `) +
      `"Auto-commit loses data" (C4) holds only when processing is handed off asynchronously; with awaited processing it is at-least-once.`,
    `Bottom line: all three are at-least-once. The duplicates equal what was processed but not yet saved at the crash; avoiding them needs results and offsets stored atomically together (or Kafka transactions).`,
  ];
}
