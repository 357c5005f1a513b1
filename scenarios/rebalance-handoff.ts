/**
 * rebalance-handoff — two instances of each strategy in one consumer group; one dies and its
 * partitions move to the survivor (claim G2, and the main drawback of checkpoint.json in a group).
 *
 * Setup: N numbered messages over P partitions (P even, N a multiple of P). For each strategy,
 * instances #1 and #2 share one consumer group; the group splits the partitions (P/2 each;
 * both are held at the start line until the split is done, so nobody consumes alone). Each
 * group is one row: a message counts once for the group, whichever member processed it.
 * Fault: #1 is SIGKILLed after its c-th message, c = (crashBatch−1)·batch + crashAfter, which
 * falls inside its first partition (c < N/P). #2 finishes its own partitions; when #1's
 * session times out the group rebalances and #2 takes over all partitions and drains them.
 * Then #1 is restarted (alone, #2 has finished) and drains too.
 *
 * Mechanism (predictions):
 * - manual-commit: the commits are stored per partition in Kafka, so they follow the
 *   partition: #2 resumes #1's partition at #1's last commit: c − floor(c/batch)·batch repeated.
 * - auto-commit: #1's first fetched partition batch was not finished, nothing was committed for
 *   it (kafkajs commits after a whole partition batch, src/consumer/runner.js `handleBatch`; the
 *   validator keeps each partition within one fetch): #2 resumes that partition at its start: c repeated.
 * - file-checkpoint: each instance has its own file, which does not follow the partition. #2
 *   has no position for the moved partitions and starts them at the beginning: c repeated.
 *   The restarted #1 then gets every partition; its file only knows its old one (at
 *   floor(c/batch)·batch): it replays N/P − floor(c/batch)·batch there and all of the other
 *   P−1 partitions from the start: c + N/P − floor(c/batch)·batch + (P−1)·N/P repeated in all.
 */
import type { StrategyReport } from '../src/checker/check.ts';
import type { Lang } from '../src/report/lang.ts';
import { killAt } from '../src/faults/kill-at.ts';
import { oneFetchPerPartition } from '../src/model/orders.ts';
import { crashMessage, defineScenario, type Knobs } from '../src/runner/scenario.ts';
import { pairOf, perPartition, savedAt, twoMemberGroupProblem } from './two-member-groups.ts';

const bases = ['auto-commit', 'manual-commit', 'file-checkpoint'] as const;

export default defineScenario({
  name: 'rebalance-handoff',
  summary: {
    en: 'two instances per group, one dies: Kafka commits follow the partition to the survivor, per-instance checkpoint files do not',
    zh: '每组两个实例，其中一个崩溃：Kafka 的提交随分区转给存活者，每个实例自己的 checkpoint 文件不会',
  },
  knobs: { messages: { default: 1000 }, partitions: { default: 4 }, batch: { default: 100 }, crashAfter: { default: 37 }, crashBatch: { default: 3 } },
  instances: bases.flatMap(pairOf),
  faults: (k) => [killAt({ point: 'mid-batch', atProcessed: crashMessage(k), instances: bases.map((b) => `${b}#1`), othersFinishFirst: true })],
  rebalances: 'expected',
  validate: (k, flag) =>
    twoMemberGroupProblem('rebalance-handoff', k, flag) ??
    (!oneFetchPerPartition(k.messages, k.partitions)
      ? `${flag('messages')} over ${flag('partitions')} needs more than one fetch per partition (1 MiB each): auto-commit would then have committed part of #1's partition at a fetch boundary, which this scenario does not model; use fewer messages or more partitions`
      : undefined),
  predict: (k) => ({
    'auto-commit': { lost: 0, duplicated: crashMessage(k) },
    'manual-commit': { lost: 0, duplicated: crashMessage(k) - savedAt(k) },
    'file-checkpoint': { lost: 0, duplicated: crashMessage(k) + perPartition(k) - savedAt(k) + (k.partitions - 1) * perPartition(k) },
  }),
  lesson,
});

function lesson(k: Knobs, strategies: StrategyReport[], lang: Lang): string[] {
  const c = crashMessage(k);
  const by = (name: string) => strategies.find((s) => s.strategy === name);
  const half = k.partitions / 2;
  if (lang === 'zh') {
    return [
      `每种策略两个实例在同一个消费者组里，各分到 ${half} 个分区（G2：组内每条消息只交给一个成员）。#2 读完自己那一份之后，#1 在处理完第 ${c} 条时被 SIGKILL；会话超时后组再均衡，#2 接管全部分区并读完；最后 #1 重启（单独一个）也读完。表中每一行是整个组。`,
      `manual-commit：提交按分区保存在 Kafka 里，跟着分区走：#2 从 #1 最后提交的 ${savedAt(k)} 继续，只重复 ${by('manual-commit')?.duplicated ?? 0} 条。`,
      `auto-commit：#1 的第一个分区批次还没处理完，这个分区什么都没提交：#2 从头开始，重复 ${by('auto-commit')?.duplicated ?? 0} 条。`,
      `file-checkpoint：每个实例有自己的文件，文件不跟着分区走。#2 的文件里没有转过来的分区，只能从头读（重复 ${c} 条）；#1 重启后拿到全部分区，它的文件只认识原来的那个分区，其余分区全部从头重放：一共重复 ${by('file-checkpoint')?.duplicated ?? 0} 条。每个实例整体重写的文件同样不跟着分区走；按分区保存、每个实例只更新自己分区条目（合并而不是覆盖）的存储才会跟着分区走。提交按组和分区保存是 Kafka 的设计；转来的分区从文件里的哪里开始则取决于你的代码，kafkajs 没有“分区被收回”的回调可以在那时保存（它只在新的分配之后发出 GROUP_JOIN）。`,
    ];
  }
  return [
    `Two instances of each strategy share one consumer group and get ${half} partitions each (G2: within a group each message goes to one member). Once #2 had read its own share, #1 was SIGKILLed after its message ${c}; when its session timed out the group rebalanced, #2 took every partition and drained them; finally #1 was restarted alone and drained too. Each row is the whole group.`,
    `manual-commit: commits are stored per partition in Kafka and follow the partition: #2 resumed at #1's last commit (${savedAt(k)}) and repeated only ${by('manual-commit')?.duplicated ?? 0}.`,
    `auto-commit: #1's first partition batch was not finished, so nothing was committed for that partition: #2 started it over and repeated ${by('auto-commit')?.duplicated ?? 0}.`,
    `file-checkpoint: each instance has its own file, and a file does not follow the partition. #2's file knew nothing of the moved partitions, so it read them from the start (${c} repeated); the restarted #1 got every partition while its file knew only its old one, and replayed all the others: ${by('file-checkpoint')?.duplicated ?? 0} repeated in all. A file that each instance rewrites whole does not follow the partition either; a store keyed by partition, where each instance updates only its own partitions' entries (merging, not overwriting), would. That Kafka keeps commits per group and partition is Kafka's design; that the moved partition starts where the file says is up to your code, since kafkajs has no revoke callback to save on (it only emits GROUP_JOIN after the new assignment).`,
  ];
}
