/**
 * retention-gap — the broker deletes data the consumer has not read yet.
 *
 * Setup: N numbered messages; auto-commit, manual-commit and file-checkpoint consumers.
 * Fault: each is SIGKILLed after message c = (crashBatch−1)·batch + crashAfter; before the
 * restart, the records before offset r = (crashBatch + 2)·batch are deleted (deleteRecords,
 * as retention would), on this run's own topic only.
 *
 * Mechanism (predictions, one partition):
 * - every saved position (≤ c) now points before the log start: the fetch answers
 *   OFFSET_OUT_OF_RANGE (Kafka) and kafkajs resets to the default offset of the subscription:
 *   `subscribe({ fromBeginning: true })` → earliest, i.e. r. kafkajs also commits that reset
 *   for the group (src/consumer/consumerGroup.js `recoverFromOffsetOutOfRange` →
 *   offsetManager `setDefaultOffset`, an OffsetCommit of the EARLIEST sentinel), so the
 *   file-checkpoint group does commit to Kafka here; the strategy's own fallback is not used
 *   (its file was readable: the seek is what went out of range).
 * - messages c+1 … r were deleted before anyone read them: r − c lost by retention, for every
 *   strategy alike; none lost by the strategy.
 * - the messages the dead process had processed past its last save were deleted too, so the
 *   restart cannot repeat them: 0 duplicated. Retention hid the duplicates and caused a loss.
 *
 * Not run on @platformatic/kafka (scenarios/client-refusals.ts): it has no reset for a position
 * before the log start. OFFSET_OUT_OF_RANGE is not retriable there (protocol/errors.js
 * `canRetry: false`), a fetch error destroys the messages stream (messages-stream.js #fetch →
 * destroy), and `fallbackMode` applies only to a partition the group has no commit for
 * (#assignOffsets: a commit ≥ 0 is used as it is; mode MANUAL takes its offsets as given).
 * Measured: manual-commit (committed 200) and file-checkpoint (seek to 200) crash at every
 * restart with "Received response with error while executing API Fetch(v17)"; only auto-commit,
 * with nothing committed before its 5 s timer ticked, starts at the earliest offset.
 */
import type { StrategyReport } from '../src/checker/check.ts';
import type { Lang } from '../src/report/lang.ts';
import { killAt } from '../src/faults/kill-at.ts';
import { deleteRecordsBefore } from '../src/faults/world-changes.ts';
import { crashMessage, defineScenario, type Knobs } from '../src/runner/scenario.ts';

const deleteBefore = (k: Knobs) => (k.crashBatch + 2) * k.batch;

/** Why --client platformatic is refused (see the top of the file). */
export const retentionGapOnPlatformatic =
  "@platformatic/kafka has no reset for a saved position before the log start: the fetch's OFFSET_OUT_OF_RANGE is not retried and destroys its messages stream (messages-stream.js #fetch; fallbackMode covers only a group without a commit), so manual-commit and file-checkpoint would crash at every restart; use --client kafkajs";

export default defineScenario({
  name: 'retention-gap',
  summary: {
    en: 'retention deletes messages the consumer has not read yet: the saved offset is out of range, the reset policy decides',
    zh: '保留策略删除了消费者还没读的消息：保存的 offset 越界，由重置策略决定从哪里开始',
  },
  knobs: { messages: { default: 1000 }, partitions: { default: 1 }, batch: { default: 100 }, crashAfter: { default: 37 }, crashBatch: { default: 3 } },
  instances: ['auto-commit', 'manual-commit', 'file-checkpoint'],
  faults: (k) => [killAt({ point: 'mid-batch', atProcessed: crashMessage(k) }), deleteRecordsBefore({ partition: 0, offset: deleteBefore(k) })],
  validate: (k, flag) =>
    k.partitions !== 1
      ? `retention-gap is defined on one partition, got ${flag('partitions')}; use --partitions 1`
      : deleteBefore(k) >= k.messages
        ? `records before offset ${deleteBefore(k)} (two batches past the crash batch: ${flag('crashBatch')}, ${flag('batch')}) are deleted, which leaves nothing of ${flag('messages')}: raise --messages above ${deleteBefore(k)}`
        : undefined,
  predict: (k) => {
    const gap = deleteBefore(k) - crashMessage(k);
    const row = { lost: 0, duplicated: 0, lostByRetention: gap };
    return { 'auto-commit': row, 'manual-commit': row, 'file-checkpoint': row };
  },
  lesson,
});

function lesson(k: Knobs, strategies: StrategyReport[], lang: Lang): string[] {
  const c = crashMessage(k);
  const r = deleteBefore(k);
  const gap = strategies[0]?.lostByRetention ?? 0;
  if (lang === 'zh') {
    return [
      `三个消费者都在处理完第 ${c} 条后被 SIGKILL；重启前 broker 删除了 offset ${r} 之前的记录（像保留策略那样）。`,
      `它们保存的位置（最多到 ${c}）现在都在日志起点之前：fetch 返回 OFFSET_OUT_OF_RANGE（Kafka 的行为），kafkajs 按订阅时的 fromBeginning（这里是 true，即 earliest）从新的起点 ${r} 开始——用的不是 file-checkpoint 自己的回退策略（文件是可读的，越界的是 seek）。kafkajs 还会为这个组提交重置后的 offset（setDefaultOffset），所以从不向 Kafka 提交的 file-checkpoint 在这里也提交了一次（这是 kafkajs 的行为）。`,
      `第 ${c + 1}–${r} 条在被读之前就被删除了：每种策略都因保留策略丢失 ${gap} 条，和提交方式无关。崩溃前处理过但未保存的消息也被删了，所以没有重复。`,
      `消费者落后太多时，任何 offset 管理方式都救不了数据：要监控消费延迟，并让保留时间大于最长的停机时间。`,
    ];
  }
  return [
    `All three consumers were SIGKILLed after message ${c}; before the restart the broker deleted the records before offset ${r} (as retention would).`,
    `Every saved position (at most ${c}) now points before the log start: the fetch answers OFFSET_OUT_OF_RANGE (Kafka's behaviour) and kafkajs resets to the subscription's default, fromBeginning: true (earliest), starting at the new log start ${r} — not file-checkpoint's own fallback (its file was readable; the seek was out of range). kafkajs also commits the reset offset for the group (setDefaultOffset), so even file-checkpoint, which never commits, has a commit in Kafka here (kafkajs's behaviour).`,
    `Messages ${c + 1}–${r} were deleted before anyone read them: ${gap} lost by retention for every strategy, whatever its commits. The messages processed but not saved before the crash were deleted too, so nothing was repeated.`,
    `When a consumer falls that far behind, no offset management saves the data: watch consumer lag and keep retention longer than the longest outage.`,
  ];
}
