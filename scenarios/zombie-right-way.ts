/**
 * zombie-right-way — a frozen consumer wakes after its partitions moved and tries to save its
 * old work: a shared store that checks positions, a Kafka transaction fenced by its
 * transactional id, and (on @platformatic/kafka) one fenced by the group refuse it; a shared
 * checkpoint file takes it (claims D1, D4, S).
 *
 * Setup: as zombie-consumer: N numbered messages over P partitions (P even), two instances per
 * group held at the start line until the group has split the partitions:
 * - file-checkpoint #1/#2: one checkpoint.json shared by both members;
 * - atomic-store #1/#2: one database per group; a save writes a partition only if its stored
 *   offset is still the one this process last read or wrote (compare-and-set in the transaction);
 * - kafka-transactions #1/#2: one transactional producer per input partition;
 * - kafka-transactions/process-id #1/#2: one transactional id per process (#1 and #2 differ),
 *   a 60 s transaction timeout so that the broker does not abort the frozen zombie's
 *   transaction first (that would fence it by the epoch, not by the group).
 * Fault: #1 is frozen with SIGSTOP right before its save after message f = C·B, inside its first
 * partition. #2 takes every partition when #1's session expires, drains and exits; then #1 gets
 * SIGCONT and makes the save it was about to make.
 *
 * Mechanism (predictions):
 * - atomic-store: #2 resumed #1's partition at the stored f − B and stored it further; the
 *   zombie's save finds a position it did not write: the transaction writes nothing for that
 *   partition and the save fails (FencedError): 0 lost, 0 duplicated effects.
 * - kafka-transactions: #2's producer for that partition (same transactional id) bumped the
 *   epoch when it started; the zombie had sent nothing yet (a batch's output goes at its save,
 *   with the offsets), and its save after waking is refused (stale epoch: INVALID_PRODUCER_EPOCH
 *   on kafkajs, PRODUCER_FENCED on platformatic): its output never reaches read_committed
 *   readers: 0/0, on both clients.
 * - kafka-transactions/process-id, platformatic: nothing bumped the zombie's epoch, but its
 *   offsets carry the member id and generation its messages were fetched under (KIP-447); the
 *   group removed that member when its session expired and refuses the commit with
 *   UNKNOWN_MEMBER_ID (observed; test/integration/transaction-fencing.test.ts); the zombie aborts: 0/0.
 *   On kafkajs the row is not run (src/strategies/kafka-transactions.ts, unsupportedOn): its
 *   TxnOffsetCommit v0–1 carries no membership, the stale commit is accepted and moves the
 *   group's offset back to f; measured with 2 partitions: 0/(N/P − f + B), with more partitions
 *   the zombie also commits buffered messages of partitions it lost, how many is timing.
 * - file-checkpoint: the shared file takes the zombie's stale save and goes backwards; the
 *   zombie replays from it: nearly every message repeated (timing decides who wrote the file
 *   last before the takeover: N − (f − B) … N, as in zombie-consumer).
 * Deliveries: #2 resumed #1's partition at its last save f − B and was handed again the B
 * messages the zombie had processed; the zombie's next act after waking is the refused save,
 * and a refused save ends its process (the loop's rule), so it processes nothing more. And
 * #2 had read its own share (N/2) before the freeze and saved after every B: the last
 * r = N/2 mod B were processed, not saved, when it took over. On a new assignment every
 * partition, the ones #2 kept too, starts at its saved position: atomic-store reads its store
 * again; for kafka-transactions both clients fetch the group's committed offset again (kafkajs:
 * a new OffsetManager in consumerGroup.sync), and its open transaction (output not yet sent) was
 * dropped with the old assignment. So those r come again: B + r
 * duplicated deliveries for atomic-store and both kafka-transactions rows (measured with
 * N/2 mod B = 1 and 32, on both clients).
 */
import type { StrategyReport } from '../src/checker/check.ts';
import { freeze } from '../src/faults/freeze.ts';
import type { Lang } from '../src/report/lang.ts';
import { defineScenario, type InstanceSpec, type Knobs as AllKnobs, type RunContext } from '../src/runner/scenario.ts';
import { unsavedShare } from './two-member-groups.ts';

type Knobs = AllKnobs<'crashBatch'>;
const freezeAt = (k: Knobs) => k.crashBatch * k.batch;
const redelivered = (k: Knobs) => k.batch + unsavedShare(k);
const perPartition = (k: Knobs) => k.messages / k.partitions;
const perProcessRow = 'kafka-transactions/process-id';
const rowsOf = ['file-checkpoint', 'atomic-store', 'kafka-transactions', perProcessRow] as const;
const pair = (row: (typeof rowsOf)[number]): InstanceSpec[] =>
  [1, 2].map((n) => {
    const name = `${row}#${n}`;
    if (row === 'file-checkpoint') return { name, strategy: row, group: row, options: { checkpointFile: 'shared-checkpoint.json' } };
    if (row === perProcessRow) return { name, strategy: 'kafka-transactions', group: row, options: { transactionalId: 'per-process', transactionTimeoutMs: 60_000 } };
    return { name, strategy: row, group: row } as InstanceSpec;
  });

export default defineScenario({
  name: 'zombie-right-way',
  summary: {
    en: 'a frozen consumer wakes and saves stale work: a position-checking store and a Kafka transaction fenced by its id (or, on @platformatic/kafka, by the group) refuse it, a shared file takes it',
    zh: '被冻结的消费者醒来后保存过期的进度：检查位置的存储、被 transactional id（在 @platformatic/kafka 上也可以是消费组）隔离的 Kafka 事务拒绝它，共享文件却照单全收',
  },
  knobs: {
    messages: { default: 2000 },
    partitions: { default: 4 },
    batch: { default: 100 },
    crashBatch: { default: 3, meaning: { en: 'instance #1 freezes right before its save after batch C', zh: '实例 #1 在第 C 批之后、保存之前被冻结' } },
  },
  instances: rowsOf.flatMap(pair),
  faults: (k) => [freeze({ atProcessed: freezeAt(k), instances: rowsOf.map((b) => `${b}#1`) })],
  rebalances: 'expected',
  validate: (k, flag) =>
    k.partitions < 2 || k.partitions % 2 !== 0
      ? `zombie-right-way needs an even number of partitions (two instances share them), got ${flag('partitions')}`
      : k.messages % k.partitions !== 0
        ? `${flag('messages')} must be a multiple of ${flag('partitions')}`
        : freezeAt(k) >= perPartition(k)
          ? `the freeze (after message ${freezeAt(k)}: ${flag('crashBatch')} × ${flag('batch')}) must fall inside instance #1's first partition (${perPartition(k)} messages)`
          : undefined,
  predict: (k) => ({
    'file-checkpoint': { lost: 0, duplicated: { min: k.messages - (freezeAt(k) - k.batch), max: k.messages } },
    'atomic-store': { lost: 0, duplicated: 0, duplicatedDeliveries: redelivered(k) },
    'kafka-transactions': { lost: 0, duplicated: 0, duplicatedDeliveries: redelivered(k) },
    [perProcessRow]: { lost: 0, duplicated: 0, duplicatedDeliveries: redelivered(k) },
  }),
  lesson,
});

function lesson(k: Knobs, strategies: StrategyReport[], lang: Lang, run: RunContext): string[] {
  const f = freezeAt(k);
  const by = (name: string) => strategies.find((s) => s.strategy === name);
  const effects = (name: string) => `${by(name)?.lost ?? 0}/${by(name)?.duplicated ?? 0}`;
  const deliveries = [by('atomic-store'), by('kafka-transactions'), by(perProcessRow)].map((s) => s?.duplicatedDeliveries ?? '—').join(' / ');
  const platformatic = run.client === 'platformatic';
  if (lang === 'zh') {
    return [
      `每种做法两个实例在同一个组里。等 #2 读完自己那一份后，#1 在第 ${f} 条之后、保存之前被 SIGSTOP 冻结；会话超时后 #2 接管全部分区、读完并退出；然后 #1 收到 SIGCONT，去做它冻结前要做的保存。`,
      `file-checkpoint（两个实例共用一个文件）：文件接受了僵尸的过期保存，进度“倒退”，僵尸按它重放：丢失/重复 = ${effects('file-checkpoint')}。`,
      `atomic-store：保存在事务里先比较每个分区存储的位置是否还是自己上次读到或写入的那个；#2 已经把它推进了，所以僵尸的这一批一行也写不进去，保存失败：${effects('atomic-store')}。文件做不到这一点：它没有“比较并交换”。`,
      `kafka-transactions（transactional id 由输入分区决定）：#2 为该分区启动同一个 transactional id 的生产者时提升了 epoch；僵尸醒来后的保存（这一批的输出，然后是 offset）被拒绝（epoch 过期），输出永远到不了 read_committed 的读者：${effects('kafka-transactions')}。两个客户端上起作用的都是 transactional id 的隔离。`,
      platformatic
        ? `kafka-transactions/process-id（每个进程一个 transactional id，#2 的生产者碰不到僵尸的）：@platformatic/kafka 提交 offset 时带上消息被 fetch 时的 member id 和 generation（TxnOffsetCommit v3+：producer.ts 的 [kTransactionCommitOffset]，数据来自 messages-stream.ts 的 #pushRecords 写进每条消息的 metadata.consumer）；会话超时后组已经移除了这个成员，于是以 UNKNOWN_MEMBER_ID 拒绝了僵尸的提交（KIP-447：由消费组隔离），僵尸中止了事务：${effects(perProcessRow)}。kafkajs 做不到：它的 sendOffsets 用 TxnOffsetCommit v0–1（src/protocol/requests/txnOffsetCommit），不带成员和 generation。`
        : `kafka-transactions/process-id（每个进程一个 transactional id）：在 kafkajs 上不运行。这时只有消费组能隔离僵尸，而 kafkajs 的 sendOffsets 用 TxnOffsetCommit v0–1（src/protocol/requests/txnOffsetCommit），不带 member id 和 generation：组接受了僵尸的过期提交，分区的已提交 offset 倒退回 ${f}（实测 2 个分区时：僵尸那一批和它分区剩下的消息都输出了两次）；分区更多时僵尸还会提交它已经失去的分区里缓冲的消息，多少取决于时序。用 --client platformatic 运行可以看到消费组拒绝它（KIP-447）。`,
      `投递仍然重复：#2 从 #1 最后保存的 ${f - k.batch} 继续，重新拿到僵尸处理过的 ${k.batch} 条` +
        (unsavedShare(k) > 0
          ? `，再加上它自己那一份最后 ${unsavedShare(k)} 条（${k.messages / 2} 不是 ${k.batch} 的整数倍：处理了但还没保存）。新的分配上，这几行的每个分区（包括 #2 保留的）都从保存的位置开始：atomic-store 重新读它的存储，kafka-transactions 用组里已提交的 offset（两个客户端都会为每个分配到的分区重新获取），所以这些消息又来一次`
          : '') +
        `（共 ${redelivered(k)} 条：${deliveries}）；僵尸醒来后的第一件事就是那次被拒绝的保存，保存被拒绝后进程退出，不再处理任何消息。`,
    ];
  }
  return [
    `Two instances per design in one group. Once #2 had read its own share, #1 was frozen with SIGSTOP after message ${f}, right before saving; when its session expired #2 took every partition, drained and exited; then #1 got SIGCONT and made the save it had been about to make.`,
    `file-checkpoint (one file shared by both): the file accepted the zombie's stale save and went backwards, and the zombie replayed from it: ${effects('file-checkpoint')} lost/duplicated.`,
    `atomic-store: inside its transaction a save first checks that each partition's stored position is still the one this process last read or wrote; #2 had moved it on, so not one row of the zombie's batch was written and the save failed: ${effects('atomic-store')}. A plain file cannot do this: it has no compare-and-set.`,
    `kafka-transactions (transactional id derived from the input partition): when #2 started the producer with the same transactional id for that partition, the epoch was bumped; the zombie's save after waking (its batch's output, then its offsets) was refused (stale epoch): its output never reaches read_committed readers: ${effects('kafka-transactions')}. On both clients this fencing comes from the transactional id.`,
    platformatic
      ? `kafka-transactions/process-id (one transactional id per process, so #2's producer never touches the zombie's): @platformatic/kafka sends the offsets with the member id and generation their messages were fetched under (TxnOffsetCommit v3+: producer.ts, [kTransactionCommitOffset], fed by the metadata.consumer that messages-stream.ts #pushRecords puts in every message); the group had removed that member when its session expired and refused the zombie's commit with UNKNOWN_MEMBER_ID (KIP-447: fenced by the group), and the zombie aborted its transaction: ${effects(perProcessRow)}. kafkajs cannot do this: its sendOffsets sends TxnOffsetCommit v0–1 (src/protocol/requests/txnOffsetCommit), without member or generation.`
      : `kafka-transactions/process-id (one transactional id per process): not run on kafkajs. Only the group could fence the zombie then, and kafkajs' sendOffsets sends TxnOffsetCommit v0–1 (src/protocol/requests/txnOffsetCommit), without member id or generation: the group accepts the zombie's stale commit and the partition's committed offset goes back to ${f} (measured with 2 partitions: the zombie's batch and the rest of its partition were output twice); with more partitions the zombie also commits buffered messages of partitions it lost, how many is timing. Run it with --client platformatic to see the group refuse it (KIP-447).`,
    `Deliveries still repeat: #2 resumed at #1's last save (${f - k.batch}) and was handed again the ${k.batch} messages the zombie had processed` +
      (unsavedShare(k) > 0
        ? `, and the last ${unsavedShare(k)} of its own share (${k.messages / 2} is not a multiple of ${k.batch}: processed, not yet saved). On a new assignment these rows start every partition, the ones #2 kept too, at its saved position: atomic-store reads its store again, kafka-transactions the group's committed offset (both clients fetch it again for every assigned partition), so those came again`
        : '') +
      ` (${redelivered(k)} in all: ${deliveries}); the zombie's first act after waking is the refused save, and a refused save ends its process, so it processes nothing more.`,
  ];
}
