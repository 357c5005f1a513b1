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
 * - auto-commit (kafkajs) commits only offsets whose eachMessage has returned, and only
 *   when a fetched partition batch is finished, every autoCommitInterval (5000 ms) or before
 *   a rebalance. All messages were produced before the consumers started, so the first
 *   fetch returned every partition whole (≤ 10 000 small messages per partition fit in the
 *   1 MiB per-partition fetch limit), and kafkajs processes a fetch's partition batches one
 *   after another, committing after each. With partitions of equal size S the crash at
 *   message c therefore finds floor((c−1)/S) partition batches committed, and the restart
 *   repeats the rest: c − floor((c−1)/S)·S messages (all c on one partition). No loss.
 *   The crash comes long before 5 s, so the interval never fires. With partitions of unequal
 *   size, which one is processed first decides, so the prediction is a range.
 * - auto-commit on @platformatic/kafka (--client platformatic): it commits the fetched batch's
 *   end on its 5 s timer, not what was processed; the crash comes before the first tick, so
 *   nothing is committed and the restart repeats all c processed messages, on any partition
 *   count (scenarios/client-mechanisms.ts).
 */
import type { StrategyReport } from '../src/checker/check.ts';
import type { Lang } from '../src/report/lang.ts';
import { killAt } from '../src/faults/kill-at.ts';
import { crashMessage, defineScenario, type Knobs } from '../src/runner/scenario.ts';
import { autoCommitIntervalMs } from '../src/strategies/auto-commit.ts';
import { autoCommitMechanism, awaitedAutoCommit, kafkajsAutoCommitRepeats as autoCommitRepeats } from './client-mechanisms.ts';

const crashAt = crashMessage;

export default defineScenario({
  name: 'crash-mid-batch',
  summary: {
    en: 'SIGKILL each consumer in the middle of a batch, before it saves offsets; restart; count lost and duplicated',
    zh: '在一批消息处理到一半、尚未保存 offset 时用 SIGKILL 杀掉每个消费者，重启后统计丢失与重复',
  },
  knobs: { messages: { default: 1000 }, partitions: { default: 1 }, batch: { default: 100 }, crashAfter: { default: 37 }, crashBatch: { default: 3 } },
  instances: ['auto-commit', 'manual-commit', 'file-checkpoint'],
  faults: (k) => [killAt({ point: 'mid-batch', atProcessed: crashAt(k) })],
  predict: (k, run) => ({
    'manual-commit': { lost: 0, duplicated: k.crashAfter },
    'file-checkpoint': { lost: 0, duplicated: k.crashAfter },
    'auto-commit': awaitedAutoCommit(k, run.client),
  }),
  lesson: (k, strategies, lang, run) => {
    const lines = lesson(k, strategies, lang);
    return run.client === 'kafkajs' ? lines : [lines[0]!, lines[1]!, platformaticAutoCommit(k, strategies, lang), lines[3]!];
  },
});

/** The auto-commit line on @platformatic/kafka: the timer, not the batch end, decides. */
function platformaticAutoCommit(k: Knobs, strategies: StrategyReport[], lang: Lang): string {
  const s = strategies.find((r) => r.strategy === 'auto-commit');
  const [dup, lost] = [s?.duplicated ?? 0, s?.lost ?? 0];
  return lang === 'zh'
    ? `auto-commit（@platformatic/kafka）：${autoCommitMechanism('platformatic', lang)} 崩溃发生在第一次定时提交之前，所以什么都没提交：重启后从头开始，重复 ${dup} 条，丢失 ${lost} 条。若定时器先到，它提交的是已 fetch 的末尾而不是已处理的位置：那时崩溃会丢失缓冲中未处理的消息（见 client-semantics）。`
    : `auto-commit (@platformatic/kafka): ${autoCommitMechanism('platformatic', lang)} The crash came before the timer's first tick, so nothing was committed: the restart began at the start, ${dup} duplicated, ${lost} lost. Had the timer fired first, it would have committed the fetched end, not the processed position, and the crash would have lost the buffered, unprocessed messages (see client-semantics).`;
}

function lesson(k: Knobs, strategies: StrategyReport[], lang: Lang): string[] {
  const at = crashAt(k);
  const dup = (name: string) => strategies.find((s) => s.strategy === name)?.duplicated ?? 0;
  const lost = (name: string) => strategies.find((s) => s.strategy === name)?.lost ?? 0;
  const savedBatches = k.crashBatch - 1;
  if (lang === 'zh') {
    return [
      `每个消费者在处理完第 ${at} 条消息后被 SIGKILL 杀死（第 ${k.crashBatch} 批的第 ${k.crashAfter} 条，每批 ${k.batch} 条，尚未保存这一批的 offset），随后重启并读到末尾。`,
      `manual-commit 与 file-checkpoint：已保存到第 ${savedBatches} 批末尾（下一个要读的 offset），重启后从那里继续，把崩溃前处理过但未保存的 ${k.crashAfter} 条再处理一遍：重复 ${dup('manual-commit')} / ${dup('file-checkpoint')} 条，丢失 ${lost('manual-commit')} / ${lost('file-checkpoint')} 条。checkpoint.json 能正确恢复，但并不比向 Kafka 提交更安全（B2：风险并不比 Kafka 自带的提交更低），也不能避免重复（B4 不成立）。`,
      `auto-commit：kafkajs 只提交处理函数已经返回的消息的 offset，并且只在一个 fetch 到的分区批次处理完时、每 ${autoCommitIntervalMs} 毫秒或再均衡前提交。所有消息在消费者启动前已经写入，第一次 fetch 就带回了${k.partitions === 1 ? '整个分区' : `每个分区的全部消息（每个分区约 ${Math.ceil(k.messages / k.partitions)} 条）`}；` +
        (at === dup('auto-commit')
          ? `崩溃发生在任何分区批次处理完之前（也早于 ${autoCommitIntervalMs} 毫秒），所以什么都还没提交：重启后从头开始，重复了全部 ${dup('auto-commit')} 条，丢失 ${lost('auto-commit')} 条。`
          : `崩溃时已处理完的分区批次中的 ${at - dup('auto-commit')} 条已被提交，其余 ${dup('auto-commit')} 条在重启后重复处理，丢失 ${lost('auto-commit')} 条。`) +
        (typeof autoCommitRepeats(k) === 'number' ? '' : '分区大小不一时，哪个分区先被处理取决于时序，所以这个数字可能变化。') +
        `“自动提交会丢数据”（C4）只在处理被异步移交时成立；等待处理完成时它是至少一次。`,
      `结论：三种方式都是“至少一次”。重复的数量等于崩溃时“已处理但未保存”的消息数；要想不重复，必须把结果和 offset 原子地存在一起（或使用 Kafka 事务）。`,
    ];
  }
  return [
    `Each consumer was SIGKILLed right after processing message ${at} (message ${k.crashAfter} of batch ${k.crashBatch}, batches of ${k.batch}), before saving any offset for that batch; then it restarted and read to the end.`,
    `manual-commit and file-checkpoint had saved the position at the end of batch ${savedBatches} (the next offset to read), resumed there and processed the ${k.crashAfter} unsaved messages again: ${dup('manual-commit')} / ${dup('file-checkpoint')} duplicated, ${lost('manual-commit')} / ${lost('file-checkpoint')} lost. checkpoint.json resumes correctly but is no safer than a Kafka commit (B2: no lower risk than Kafka's own commit), and it does not avoid duplicates (B4 does not hold).`,
    `auto-commit: kafkajs commits only offsets whose eachMessage has returned, and only when a fetched partition batch is finished, every ${autoCommitIntervalMs} ms, or before a rebalance. All messages were in the topic before the consumers started, so the first fetch brought ${k.partitions === 1 ? 'the whole partition' : `every partition whole (about ${Math.ceil(k.messages / k.partitions)} messages each)`}; ` +
      (at === dup('auto-commit')
        ? `the crash came before any partition batch was finished (and before ${autoCommitIntervalMs} ms), so nothing had been committed: the restart began again at the start and repeated all ${dup('auto-commit')}, losing ${lost('auto-commit')}. `
        : `the ${at - dup('auto-commit')} messages of partition batches finished before the crash had been committed, the other ${dup('auto-commit')} were repeated after the restart, ${lost('auto-commit')} lost. `) +
      (typeof autoCommitRepeats(k) === 'number' ? '' : 'With partitions of unequal size, which one is processed first is timing, so this number can vary. ') +
      `"Auto-commit loses data" (C4) holds only when processing is handed off asynchronously; with awaited processing it is at-least-once.`,
    `Bottom line: all three are at-least-once. The duplicates equal what was processed but not yet saved at the crash; avoiding them needs results and offsets stored atomically together (or Kafka transactions).`,
  ];
}
