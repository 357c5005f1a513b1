/**
 * crash-during-save — a SIGKILL between writing the results and writing the offsets, and in
 * the middle of the save itself (claims D1, D3, B4).
 *
 * Setup: N numbered messages; seven consumers, each in its own group. Each saves after every
 * batch of B messages; the crash comes at the save after batch C (message s = C·B):
 * - file-checkpoint/between: killed after the batch's last result was written and before the
 *   checkpoint file is (results first, offsets second, as the question's design does);
 * - file-checkpoint/during: killed in the middle of its atomic save (temp file written,
 *   not yet renamed over checkpoint.json);
 * - atomic-store/between: killed at the same point as file-checkpoint/between — for this
 *   design that point is "the batch's results are in memory, nothing is written yet";
 * - atomic-store/during: killed inside its SQLite transaction, after half the batch's rows
 *   were inserted, before COMMIT;
 * - idempotent-sink/during: killed after its results were upserted, before the Kafka commit;
 * - kafka-transactions/during: killed after sendOffsets, before the transaction's commit;
 * - state-snapshot/during: killed before its snapshot transaction commits.
 *
 * Mechanism (predictions; the same for any partition count: every save covers all that was
 * processed before it):
 * - every one resumes at the save after batch C − 1 and is redelivered the B messages of
 *   batch C: B duplicated deliveries each;
 * - file-checkpoint (both points): the results of batch C were already written; the file
 *   still says C − 1 (not yet written, or the temp file never renamed): B duplicated effects;
 * - atomic-store (both points): an uncommitted SQLite transaction is rolled back when the
 *   database is opened again: no results and no offsets of batch C: 0 lost, 0 duplicated.
 *   There is no "between": results and offsets are one write;
 * - idempotent-sink: batch C's rows were upserted, the redelivery overwrites them: 0/0;
 * - kafka-transactions: the open transaction is aborted when the restarted producer with the
 *   same transactional id initialises: read_committed readers never see it: 0/0;
 * - state-snapshot: the state is restored from snapshot C − 1, exact; the side log has batch C
 *   twice: B duplicated side effects.
 */
import type { StrategyReport } from '../src/checker/check.ts';
import { killAt } from '../src/faults/kill-at.ts';
import type { Lang } from '../src/report/lang.ts';
import { defineScenario, type Knobs as AllKnobs } from '../src/runner/scenario.ts';

type Knobs = AllKnobs<'crashBatch'>;
const saveAt = (k: Knobs) => k.crashBatch * k.batch;
const between = ['file-checkpoint/between', 'atomic-store/between'];
const during = ['file-checkpoint/during', 'atomic-store/during', 'idempotent-sink/during', 'kafka-transactions/during', 'state-snapshot/during'];

export default defineScenario({
  name: 'crash-during-save',
  summary: {
    en: 'SIGKILL between writing results and offsets, and inside the save: the separate file repeats, one transaction has no "between"',
    zh: '在写结果与写 offset 之间、以及保存进行中被 SIGKILL：分开写的文件会重复，单个事务没有“之间”',
  },
  knobs: {
    messages: { default: 1000 },
    partitions: { default: 1 },
    batch: { default: 100 },
    crashBatch: { default: 3, meaning: { en: 'the crash comes at the save after batch C', zh: '崩溃发生在第 C 批之后的保存时' } },
  },
  instances: [
    { name: 'file-checkpoint/between', strategy: 'file-checkpoint', options: { write: 'atomic' } },
    { name: 'file-checkpoint/during', strategy: 'file-checkpoint', options: { write: 'atomic' } },
    { name: 'atomic-store/between', strategy: 'atomic-store' },
    { name: 'atomic-store/during', strategy: 'atomic-store' },
    { name: 'idempotent-sink/during', strategy: 'idempotent-sink' },
    { name: 'kafka-transactions/during', strategy: 'kafka-transactions' },
    { name: 'state-snapshot/during', strategy: 'state-snapshot' },
  ],
  faults: (k) => [
    killAt({ point: 'mid-batch', atProcessed: saveAt(k), instances: between }),
    killAt({ point: 'during-save', atProcessed: saveAt(k), instances: during }),
  ],
  validate: (k, flag) =>
    saveAt(k) > k.messages ? `the save after batch ${k.crashBatch} (message ${saveAt(k)}: ${flag('crashBatch')} × ${flag('batch')}) never comes with ${flag('messages')}` : undefined,
  predict: (k) => {
    const repeats = { lost: 0, duplicated: k.batch, duplicatedDeliveries: k.batch };
    const once = { lost: 0, duplicated: 0, duplicatedDeliveries: k.batch };
    return {
      'file-checkpoint/between': repeats,
      'file-checkpoint/during': repeats,
      'atomic-store/between': once,
      'atomic-store/during': once,
      'idempotent-sink/during': once,
      'kafka-transactions/during': once,
      'state-snapshot/during': repeats,
    };
  },
  lesson,
});

function lesson(k: Knobs, strategies: StrategyReport[], lang: Lang): string[] {
  const s = saveAt(k);
  const by = (name: string) => strategies.find((r) => r.strategy === name);
  const effects = (name: string) => `${by(name)?.lost ?? 0}/${by(name)?.duplicated ?? 0}`;
  if (lang === 'zh') {
    return [
      `每个消费者都在第 ${k.crashBatch} 批（第 ${s} 条消息）之后的保存处被 SIGKILL：“之间”= 结果已写、offset 未写；“进行中”= 保存写到一半。重启后都从第 ${k.crashBatch - 1} 批末尾继续，这一批的 ${k.batch} 条消息被重新投递。`,
      `file-checkpoint：结果先写、checkpoint 后写。无论死在两者之间（${effects('file-checkpoint/between')}）还是死在原子写的中途（临时文件写了但还没 rename，旧文件仍然完好：${effects('file-checkpoint/during')}），这一批的结果都已经写过，重放时又写一遍：丢失/重复 = 丢失 0、重复 ${k.batch}。`,
      `atomic-store：结果和 offset 是同一个 SQLite 事务，不存在“之间”：在同一个位置被杀时结果还只在内存里（${effects('atomic-store/between')}）；在事务中途被杀（已插入一半的行，尚未 COMMIT），重新打开数据库时未提交的事务被回滚（${effects('atomic-store/during')}）。`,
      `idempotent-sink 在提交 offset 之前被杀：重放只是覆盖同样的行（${effects('idempotent-sink/during')}）。kafka-transactions 在 sendOffsets 之后、commit 之前被杀：同一个 transactional id 的新生产者初始化时中止了这个事务，read_committed 读者看不到它（${effects('kafka-transactions/during')}）。state-snapshot：状态从上一个快照恢复，完全正确；快照之外的副作用日志重复了 ${by('state-snapshot/during')?.duplicated ?? 0} 条。`,
      `D1、D3 成立——但只对“结果和 offset 分开写”的设计。把它们放进一次原子写入，崩溃点就没有“之间”可言；B4（自己管理 offset 能避免重复）只在这种设计下成立。`,
    ];
  }
  return [
    `Each consumer was SIGKILLed at the save after batch ${k.crashBatch} (message ${s}): "between" = results written, offsets not yet; "during" = in the middle of the save. Each resumed at the end of batch ${k.crashBatch - 1} and was redelivered that batch's ${k.batch} messages.`,
    `file-checkpoint writes results first and the checkpoint second. Killed between the two (${effects('file-checkpoint/between')}) or in the middle of its atomic write (temp file written, not yet renamed; the old file intact: ${effects('file-checkpoint/during')}), the batch's results were already written and were written again on replay: 0 lost, ${k.batch} duplicated.`,
    `atomic-store: results and offsets are one SQLite transaction, so there is no "between": killed at the same point, the results were only in memory (${effects('atomic-store/between')}); killed inside the transaction (half the rows inserted, no COMMIT), the uncommitted transaction was rolled back when the database was opened again (${effects('atomic-store/during')}).`,
    `idempotent-sink, killed before its Kafka commit: the replay overwrote the same rows (${effects('idempotent-sink/during')}). kafka-transactions, killed after sendOffsets and before commit: the new producer with the same transactional id aborted the transaction on start, and read_committed readers never saw it (${effects('kafka-transactions/during')}). state-snapshot: the state came back from the previous snapshot, exact; the side-effect log outside the snapshot repeated ${by('state-snapshot/during')?.duplicated ?? 0} lines.`,
    `D1 and D3 hold — for designs that write results and offsets separately. Put them in one atomic write and a crash has no "between" to fall into; B4 (managing offsets yourself avoids duplicates) holds only for that design.`,
  ];
}
