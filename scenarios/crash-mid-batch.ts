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
 * - auto-commit (kafkajs 2.2.4) resolves an offset only after eachMessage returns
 *   (src/consumer/runner.js `processEachMessage` → `resolveOffset`) and commits after each
 *   partition batch of a fetch (`handleBatch` → `autoCommitOffsets`), every
 *   autoCommitInterval (5000 ms, checked per message) and before a rebalance. All messages were
 *   produced before the consumers started, so the fetches are fixed by the bytes in the log:
 *   1 MiB per partition per fetch, ending on a record-batch boundary (Kafka's fetch rule, with
 *   kafkajs's default limits). src/model/fetch-model.ts computes those boundaries from the
 *   record batches the producer writes (measured: 100 000 messages on one partition come as
 *   21 000 + 20 500 + 20 500 + 20 500 + 17 500). The restart repeats the messages of the
 *   partition batch the crash was in. kafkajs hands a fetch's partition batches over in an
 *   order it does not fix: with unequal batches the prediction is the min/max over orders.
 *   Exact as long as no single fetch takes more than 5 s to process (the interval would then
 *   commit mid-batch). Fetches over 10 MiB (many large partitions) are refused: there the
 *   broker's partition order inside the response would decide.
 * - auto-commit on @platformatic/kafka (--client platformatic): it commits the fetched batch's
 *   end on its 5 s timer, not what was processed; the crash comes before the first tick, so
 *   nothing is committed and the restart repeats all c processed messages, on any partition
 *   count (scenarios/client-mechanisms.ts).
 */
import type { StrategyReport } from '../src/checker/check.ts';
import type { Lang } from '../src/report/lang.ts';
import { killAt } from '../src/faults/kill-at.ts';
import { autoCommitRepeats as repeatsOf } from '../src/model/orders.ts';
import { crashMessage, defineScenario, type Knobs, type Prediction } from '../src/runner/scenario.ts';
import { autoCommitIntervalMs } from '../src/strategies/auto-commit.ts';
import { autoCommitMechanism, awaitedAutoCommit } from './client-mechanisms.ts';

const crashAt = crashMessage;

/** What auto-commit repeats (see above); undefined where one fetch would exceed 10 MiB. */
export const autoCommitRepeats = (k: Knobs): Prediction | undefined => repeatsOf(k.messages, k.partitions, crashAt(k));
export const tooLargeForOneResponse = (k: Knobs, flag: (n: 'messages' | 'partitions') => string) =>
  autoCommitRepeats(k) === undefined
    ? `with ${flag('messages')} over ${flag('partitions')} one fetch would exceed kafkajs's maxBytes (10 MiB), where the broker's partition order decides what auto-commit has committed; use fewer partitions or messages`
    : undefined;

export default defineScenario({
  name: 'crash-mid-batch',
  summary: {
    en: 'SIGKILL each consumer in the middle of a batch, before it saves offsets; restart; count lost and duplicated',
    zh: '在一批消息处理到一半、尚未保存 offset 时用 SIGKILL 杀掉每个消费者，重启后统计丢失与重复',
  },
  knobs: { messages: { default: 1000 }, partitions: { default: 1 }, batch: { default: 100 }, crashAfter: { default: 37 }, crashBatch: { default: 3 } },
  instances: ['auto-commit', 'manual-commit', 'file-checkpoint'],
  faults: (k) => [killAt({ point: 'mid-batch', atProcessed: crashAt(k) })],
  validate: (k, flag) => tooLargeForOneResponse(k, flag),
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
function platformaticAutoCommit(_k: Knobs, strategies: StrategyReport[], lang: Lang): string {
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
  const exact = typeof autoCommitRepeats(k) === 'number';
  const nothingCommitted = at === dup('auto-commit');
  if (lang === 'zh') {
    return [
      `每个消费者在处理完第 ${at} 条消息后被 SIGKILL 杀死（第 ${k.crashBatch} 批的第 ${k.crashAfter} 条，每批 ${k.batch} 条，尚未保存这一批的 offset），随后重启并读到末尾。`,
      `manual-commit 与 file-checkpoint：已保存到第 ${savedBatches} 批末尾（下一个要读的 offset），重启后从那里继续，把崩溃前处理过但未保存的 ${k.crashAfter} 条再处理一遍：重复 ${dup('manual-commit')} / ${dup('file-checkpoint')} 条，丢失 ${lost('manual-commit')} / ${lost('file-checkpoint')} 条。checkpoint.json 能正确恢复，但并不比向 Kafka 提交更安全（B2），也不能避免重复（B4 不成立）。`,
      `auto-commit（这是 kafkajs 的行为，不是 Kafka 的）：kafkajs 只在 eachMessage 返回后才把 offset 标记为可提交，并在一次 fetch 中每个分区的批次处理完时、每 ${autoCommitIntervalMs} 毫秒或再均衡前提交。一次 fetch 每个分区最多取 1 MiB（kafkajs 的默认值；在记录批次边界截断是 Kafka 的规则），所以提交点由日志里的字节决定。` +
        (nothingCommitted
          ? `崩溃发生在第一个分区批次处理完之前，什么都还没提交：重启后从头开始，重复了全部 ${dup('auto-commit')} 条，丢失 ${lost('auto-commit')} 条。`
          : `崩溃前已处理完的分区批次（${at - dup('auto-commit')} 条）已经提交，崩溃所在批次的 ${dup('auto-commit')} 条在重启后重复处理，丢失 ${lost('auto-commit')} 条。`) +
        (exact ? '' : 'kafkajs 交出同一次 fetch 中各分区批次的顺序不固定，分区批次大小不同时这个数字取决于顺序（预测是所有顺序下的最小到最大值）。') +
        `如果处理在 eachMessage 返回之前就已完成，自动提交是“至少一次”；只有把工作交给处理函数之外（例如后台队列）时，“自动提交会丢数据”（C4）才成立（见 auto-commit-async）。`,
      `结论：三种方式都是“至少一次”。重复的数量等于崩溃时“已处理但未保存”的消息数；要想不重复，必须把结果和 offset 原子地存在一起（或使用 Kafka 事务）。`,
    ];
  }
  return [
    `Each consumer was SIGKILLed right after processing message ${at} (message ${k.crashAfter} of batch ${k.crashBatch}, batches of ${k.batch}), before saving any offset for that batch; then it restarted and read to the end.`,
    `manual-commit and file-checkpoint had saved the position at the end of batch ${savedBatches} (the next offset to read), resumed there and processed the ${k.crashAfter} unsaved messages again: ${dup('manual-commit')} / ${dup('file-checkpoint')} duplicated, ${lost('manual-commit')} / ${lost('file-checkpoint')} lost. checkpoint.json resumes correctly but is no safer than a Kafka commit (B2), and it does not avoid duplicates (B4 does not hold).`,
    `auto-commit (kafkajs's behaviour, not Kafka's): kafkajs marks an offset committable only when eachMessage returns, and commits when a fetch's partition batch is finished, every ${autoCommitIntervalMs} ms, or before a rebalance. A fetch brings at most 1 MiB per partition (kafkajs's default; cutting at a record-batch boundary is Kafka's rule), so the commit points follow the bytes in the log. ` +
      (nothingCommitted
        ? `The crash came before the first partition batch was finished, so nothing had been committed: the restart began again at the start and repeated all ${dup('auto-commit')}, losing ${lost('auto-commit')}. `
        : `The partition batches finished before the crash (${at - dup('auto-commit')} messages) had been committed; the ${dup('auto-commit')} of the batch the crash was in were repeated after the restart, ${lost('auto-commit')} lost. `) +
      (exact ? '' : 'kafkajs hands a fetch\'s partition batches over in no fixed order; with batches of unequal size the count depends on that order (the prediction is its min–max over every order). ') +
      `With the work awaited inside eachMessage, auto-commit is at-least-once; "auto-commit loses data" (C4) needs the work handed off outside the handler (see auto-commit-async).`,
    `Bottom line: all three are at-least-once. The duplicates equal what was processed but not yet saved at the crash; avoiding them needs results and offsets stored atomically together (or Kafka transactions).`,
  ];
}
