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
 *
 * On @platformatic/kafka (--client platformatic) manual-commit and file-checkpoint are the same
 * (commits and files do not depend on the client). auto-commit differs: its 5 s timer, started
 * with the stream (messages-stream.ts constructor), commits the END of every fetched batch
 * (#pushRecords → [kAutocommit]), and #1 holds its whole share in its buffer (one fetch).
 * Timing decides which of two outcomes: no tick between #1's first fetch and its crash (the
 * crash waits for #2's share; measured ~1 s after the start with the defaults) → nothing
 * committed on #1's partitions, #2 starts them over: 0 lost / c repeated; a tick before the
 * crash → the ends of #1's partitions committed, #2 skips what #1 fetched but never processed:
 * N/2 − c lost / 0 repeated. Nothing in between (a tick commits every fetched end at once).
 */
import type { StrategyReport } from '../src/checker/check.ts';
import type { Lang } from '../src/report/lang.ts';
import { killAt } from '../src/faults/kill-at.ts';
import { oneFetchPerPartition } from '../src/model/orders.ts';
import type { ClientName } from '../src/consumer/clients.ts';
import { crashMessage, defineScenario, type Knobs, type RunContext, type StrategyPrediction } from '../src/runner/scenario.ts';
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
    twoMemberGroupProblem('rebalance-handoff', k, flag, { survivorSavedItsShare: true }) ??
    (!oneFetchPerPartition(k.messages, k.partitions)
      ? `${flag('messages')} over ${flag('partitions')} needs more than one fetch per partition (1 MiB each): auto-commit would then have committed part of #1's partition at a fetch boundary, which this scenario does not model; use fewer messages or more partitions`
      : undefined),
  predict: (k, run) => ({
    'auto-commit': autoCommitHandoff(k, run.client),
    'manual-commit': { lost: 0, duplicated: crashMessage(k) - savedAt(k) },
    'file-checkpoint': { lost: 0, duplicated: crashMessage(k) + perPartition(k) - savedAt(k) + (k.partitions - 1) * perPartition(k) },
  }),
  lesson,
});

/** auto-commit when #1 dies: kafkajs had finished no partition batch; platformatic's timer may or may not have ticked. */
function autoCommitHandoff(k: Knobs, client: ClientName): StrategyPrediction {
  const c = crashMessage(k);
  if (client === 'kafkajs') return { lost: 0, duplicated: c };
  const skipped = k.messages / 2 - c;
  return { lost: { min: 0, max: skipped }, duplicated: { min: 0, max: c }, outcomes: [{ lost: 0, duplicated: c }, { lost: skipped, duplicated: 0 }] };
}

/** The auto-commit sentence on @platformatic/kafka (see the top of the file). */
function platformaticAutoCommit(k: Knobs, s: StrategyReport | undefined, lang: Lang): string {
  const [lost, dup] = [s?.lost ?? 0, s?.duplicated ?? 0];
  const skipped = k.messages / 2 - crashMessage(k);
  const ticked = lost > 0;
  if (lang === 'zh') {
    return (
      `auto-commit（@platformatic/kafka，5 秒定时器）：定时器随流启动（messages-stream.ts 的构造函数），每次触发都提交已 fetch 批次的末尾（#pushRecords → [kAutocommit]），而不是已处理的位置；#1 的整份数据在一次 fetch 后就都在它的缓冲里。` +
      (ticked
        ? `这次定时器在 #1 崩溃前触发了：#1 两个分区的末尾都已提交，#2 跳过了 #1 取到却没处理的消息：丢失 ${lost} 条，重复 ${dup} 条。`
        : `这次定时器在 #1 崩溃前没有触发：#1 的分区什么都没提交，#2 从头开始，重复 ${dup} 条，丢失 ${lost} 条。若它先触发，就会提交 fetch 的末尾，崩溃会丢失 #1 缓冲中未处理的 ${skipped} 条。`) +
      `哪一种由时序决定（从流启动到崩溃的时间；崩溃要等 #2 读完自己那一份）；kafkajs 只提交处理完的 offset，这里总是重复而不会丢失。`
    );
  }
  return (
    `auto-commit (@platformatic/kafka, 5 s timer): the timer starts with the stream (messages-stream.ts, constructor) and each tick commits the END of every fetched batch (#pushRecords → [kAutocommit]), not what was processed; #1's whole share was in its buffer after one fetch. ` +
    (ticked
      ? `Here the timer ticked before #1's crash: the ends of #1's partitions were committed and #2 skipped what #1 had fetched but not processed: ${lost} lost, ${dup} duplicated. `
      : `Here it had not ticked before #1's crash: nothing was committed on #1's partitions, #2 started them over: ${dup} duplicated, ${lost} lost. Had it ticked first, it would have committed the fetched ends and the crash would have lost the ${skipped} messages #1 had buffered but not processed. `) +
    `Which one is timing (the time from the stream's start to the crash, which waits until #2 has read its share); kafkajs commits only processed offsets and here always repeats, never loses.`
  );
}

function lesson(k: Knobs, strategies: StrategyReport[], lang: Lang, run: RunContext = { client: 'kafkajs' }): string[] {
  const c = crashMessage(k);
  const by = (name: string) => strategies.find((s) => s.strategy === name);
  const half = k.partitions / 2;
  const platformatic = run.client === 'platformatic';
  const noRevoke =
    lang === 'zh'
      ? platformatic
        ? '@platformatic/kafka 也没有“分区被收回”的回调（经典协议下它在 SyncGroup 之后才发出 consumer:group:join：consumer.js 的 #performJoinGroup）'
        : 'kafkajs 没有“分区被收回”的回调可以在那时保存（它只在新的分配之后发出 GROUP_JOIN）'
      : platformatic
        ? '@platformatic/kafka has no revoke callback to save on (in the classic protocol it emits consumer:group:join after SyncGroup, with the new assignment: consumer.js #performJoinGroup)'
        : 'kafkajs has no revoke callback to save on (it only emits GROUP_JOIN after the new assignment)';
  if (lang === 'zh') {
    return [
      `每种策略两个实例在同一个消费者组里，各分到 ${half} 个分区（G2：组内每条消息只交给一个成员）。#2 读完自己那一份之后，#1 在处理完第 ${c} 条时被 SIGKILL；会话超时后组再均衡，#2 接管全部分区并读完；最后 #1 重启（单独一个）也读完。表中每一行是整个组。`,
      `manual-commit：提交按分区保存在 Kafka 里，跟着分区走：#2 从 #1 最后提交的 ${savedAt(k)} 继续，只重复 ${by('manual-commit')?.duplicated ?? 0} 条。`,
      platformatic
        ? platformaticAutoCommit(k, by('auto-commit'), lang)
        : `auto-commit（kafkajs）：#1 的第一个分区批次还没处理完，这个分区什么都没提交：#2 从头开始，重复 ${by('auto-commit')?.duplicated ?? 0} 条。`,
      `file-checkpoint：每个实例有自己的文件，文件不跟着分区走。#2 的文件里没有转过来的分区，只能从头读（重复 ${c} 条）；#1 重启后拿到全部分区，它的文件只认识原来的那个分区，其余分区全部从头重放：一共重复 ${by('file-checkpoint')?.duplicated ?? 0} 条。每个实例整体重写的文件同样不跟着分区走；按分区保存、每个实例只更新自己分区条目（合并而不是覆盖）的存储才会跟着分区走。提交按组和分区保存是 Kafka 的设计；转来的分区从文件里的哪里开始则取决于你的代码，${noRevoke}。`,
    ];
  }
  return [
    `Two instances of each strategy share one consumer group and get ${half} partitions each (G2: within a group each message goes to one member). Once #2 had read its own share, #1 was SIGKILLed after its message ${c}; when its session timed out the group rebalanced, #2 took every partition and drained them; finally #1 was restarted alone and drained too. Each row is the whole group.`,
    `manual-commit: commits are stored per partition in Kafka and follow the partition: #2 resumed at #1's last commit (${savedAt(k)}) and repeated only ${by('manual-commit')?.duplicated ?? 0}.`,
    platformatic
      ? platformaticAutoCommit(k, by('auto-commit'), lang)
      : `auto-commit (kafkajs): #1's first partition batch was not finished, so nothing was committed for that partition: #2 started it over and repeated ${by('auto-commit')?.duplicated ?? 0}.`,
    `file-checkpoint: each instance has its own file, and a file does not follow the partition. #2's file knew nothing of the moved partitions, so it read them from the start (${c} repeated); the restarted #1 got every partition while its file knew only its old one, and replayed all the others: ${by('file-checkpoint')?.duplicated ?? 0} repeated in all. A file that each instance rewrites whole does not follow the partition either; a store keyed by partition, where each instance updates only its own partitions' entries (merging, not overwriting), would. That Kafka keeps commits per group and partition is Kafka's design; that the moved partition starts where the file says is up to your code, since ${noRevoke}.`,
  ];
}
