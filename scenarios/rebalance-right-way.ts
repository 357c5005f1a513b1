/**
 * rebalance-right-way — offsets kept per partition in a store the group shares follow the
 * partition to the survivor: the fix for per-instance checkpoint files (claims D4, G2, S).
 *
 * Setup: as rebalance-handoff: N numbered messages over P partitions (P even), two instances
 * per group, held at the start line until the group has split the partitions:
 * - file-checkpoint #1/#2: one checkpoint file per instance (rebalance-handoff's drawback);
 * - atomic-store #1/#2: one database per group, results and next offset per partition in one
 *   transaction per batch; every assignment reads the offsets from the database;
 * - kafka-transactions #1/#2: output and input offsets in one Kafka transaction per partition,
 *   transactional id derived from the input partition.
 * Fault: #1 holds after its c-th message (c < N/P: inside its first partition), still a member,
 * until #2 has read its own share to the end (the fault waits for that, so #2's speed does not
 * matter); #2 has then saved all of it (N/2 is a multiple of B, nothing pending) and idles, and
 * #1 is SIGKILLed; when #1's session times out, #2 takes every partition and drains; then #1 restarts.
 *
 * Mechanism (predictions):
 * - file-checkpoint: as rebalance-handoff: c + N/P − s + (P − 1)·N/P repeated effects, where
 *   s = floor(c/B)·B is #1's last save.
 * - atomic-store: the database holds #1's partition at s with exactly the results before s;
 *   #2 reads it on assignment and resumes there: c − s redelivered, 0 lost, 0 duplicated effects.
 *   The restarted #1 reads the same database and finds every partition done.
 * - kafka-transactions: #1's committed transactions cover its partition up to s; the batch it
 *   died in had sent nothing (a batch's output goes at its save, with the offsets); #2's
 *   producer for that partition takes the same transactional id and resumes at s: c − s
 *   redelivered, 0/0 effects for read_committed readers.
 *
 * The same counts on @platformatic/kafka (--client platformatic): atomic-store's seek on every assignment works on both
 * clients, through the event each emits with the new assignment before fetching it — kafkajs's
 * GROUP_JOIN; platformatic's consumer:group:join (consumer.js #performJoinGroup, after SyncGroup),
 * where the port sets the stream's offsetsToFetch before the stream's own listener re-reads
 * offsets, and a stream in mode MANUAL keeps a position already set (messages-stream.ts #assignOffsets).
 */
import type { StrategyReport } from '../src/checker/check.ts';
import { killAt } from '../src/faults/kill-at.ts';
import type { Lang } from '../src/report/lang.ts';
import { crashMessage, defineScenario, type Knobs, type RunContext } from '../src/runner/scenario.ts';
import { pairOf, perPartition, savedAt, twoMemberGroupProblem } from './two-member-groups.ts';

const bases = ['file-checkpoint', 'atomic-store', 'kafka-transactions'] as const;

export default defineScenario({
  name: 'rebalance-right-way',
  summary: {
    en: 'one member of a group dies: offsets in a store the group shares (database, Kafka transaction) follow the partition, per-instance files do not',
    zh: '组内一个成员崩溃：保存在组共享的存储里的 offset（数据库、Kafka 事务）跟着分区走，每个实例自己的文件不会',
  },
  knobs: { messages: { default: 1000 }, partitions: { default: 4 }, batch: { default: 100 }, crashAfter: { default: 37 }, crashBatch: { default: 3 } },
  instances: bases.flatMap(pairOf),
  faults: (k) => [killAt({ point: 'mid-batch', atProcessed: crashMessage(k), instances: bases.map((b) => `${b}#1`), othersFinishFirst: true })],
  rebalances: 'expected',
  validate: (k, flag) => twoMemberGroupProblem('rebalance-right-way', k, flag, { survivorSavedItsShare: true }),
  predict: (k) => {
    const moved = crashMessage(k) - savedAt(k);
    return {
      'file-checkpoint': { lost: 0, duplicated: crashMessage(k) + perPartition(k) - savedAt(k) + (k.partitions - 1) * perPartition(k) },
      'atomic-store': { lost: 0, duplicated: 0, duplicatedDeliveries: moved },
      'kafka-transactions': { lost: 0, duplicated: 0, duplicatedDeliveries: moved },
    };
  },
  lesson,
});

function lesson(k: Knobs, strategies: StrategyReport[], lang: Lang, run: RunContext = { client: 'kafkajs' }): string[] {
  const c = crashMessage(k);
  const hook = {
    en:
      run.client === 'platformatic'
        ? ' (@platformatic/kafka: in its consumer:group:join event, emitted after SyncGroup with the new assignment, consumer.js #performJoinGroup; the seek sets the stream\'s next fetch offset before the stream re-reads its offsets, and a stream in mode MANUAL keeps it: messages-stream.ts #assignOffsets)'
        : ' (kafkajs: in its GROUP_JOIN event, emitted with the new assignment before the first fetch)',
    zh:
      run.client === 'platformatic'
        ? '（@platformatic/kafka：在 SyncGroup 之后带着新分配发出的 consumer:group:join 事件里，consumer.js 的 #performJoinGroup；seek 在流重新读取 offset 之前设定下一次 fetch 的位置，MANUAL 模式的流会保留它：messages-stream.ts 的 #assignOffsets）'
        : '（kafkajs：在第一次 fetch 之前带着新分配发出的 GROUP_JOIN 事件里）',
  };
  const by = (name: string) => strategies.find((s) => s.strategy === name);
  const effects = (name: string) => `${by(name)?.lost ?? 0}/${by(name)?.duplicated ?? 0}`;
  if (lang === 'zh') {
    return [
      `每种做法两个实例在同一个消费者组里平分 ${k.partitions} 个分区。#2 读完自己那一份之后，#1 在处理完第 ${c} 条时被 SIGKILL；会话超时后 #2 接管全部分区并读完，然后 #1 重启。表中每一行是整个组。`,
      `file-checkpoint：每个实例一个文件，文件不跟着分区走：#2 把转来的分区从头读，#1 重启后又把它文件不认识的分区全部重放：丢失/重复 = ${effects('file-checkpoint')}。`,
      `atomic-store：offset 按分区和结果一起存在组共享的数据库里，每次分配分区时都从数据库读取${hook.zh}：#2 从 #1 最后一次提交的 ${savedAt(k)} 继续，重新投递 ${by('atomic-store')?.duplicatedDeliveries ?? 0} 条，但结果不重复：${effects('atomic-store')}。这正是 Kafka 文档里“在 Kafka 之外存 offset”的要求：在每次（重新）分配时从存储里 seek。`,
      `kafka-transactions：offset 随事务提交到这个组在 Kafka 里的位置，transactional id 由输入分区决定：#1 在保存之前就死了，它这一批的任何东西都还没有到达 Kafka（每批的输出在保存时和 offset 一起发送）；#2 为该分区启动的生产者使用同一个 transactional id（假如 #1 还活着，也会被隔离），从 ${savedAt(k)} 继续：${effects('kafka-transactions')}（重新投递 ${by('kafka-transactions')?.duplicatedDeliveries ?? 0} 条）。`,
      `所以问题不在“offset 存在 Kafka 之外”，而在“存在每个实例自己的文件里”：存储必须由整个组共享、按分区记录，并与结果一起原子地写入（D4、S）。`,
    ];
  }
  return [
    `Two instances of each design share one consumer group and split ${k.partitions} partitions. Once #2 had read its own share, #1 was SIGKILLed after its message ${c}; when its session timed out #2 took every partition and drained, then #1 restarted. Each row is the whole group.`,
    `file-checkpoint: one file per instance, and a file does not follow the partition: #2 read the moved partition from the start, and the restarted #1 replayed every partition its file did not know: ${effects('file-checkpoint')} lost/duplicated.`,
    `atomic-store: offsets are kept per partition, with the results, in a database the group shares, and read on every assignment${hook.en}: #2 resumed at #1's last commit (${savedAt(k)}), was redelivered ${by('atomic-store')?.duplicatedDeliveries ?? 0} messages, and wrote no result twice: ${effects('atomic-store')}. That is what Kafka's documentation asks of offsets stored outside Kafka: seek to the stored offsets on every (re)assignment.`,
    `kafka-transactions: the offsets commit with the transaction to the group's position in Kafka, and the transactional id comes from the input partition: #1 died before its save, so nothing of its batch had reached Kafka (a batch's output is sent at its save, with the offsets), and #2's producer for that partition took the same transactional id (fencing #1, were it still alive) and resumed at ${savedAt(k)}: ${effects('kafka-transactions')} (${by('kafka-transactions')?.duplicatedDeliveries ?? 0} redelivered).`,
    `So the trouble is not "offsets outside Kafka" but "offsets in each instance's own file": the store must be shared by the group, kept per partition, and written atomically with the results (D4, S).`,
  ];
}
