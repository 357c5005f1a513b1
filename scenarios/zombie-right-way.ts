/**
 * zombie-right-way — a frozen consumer wakes after its partitions moved and tries to save its
 * old work: a shared store that checks positions, and a Kafka transaction fenced by its
 * transactional id, refuse it; a shared checkpoint file takes it (claims D1, D4, S).
 *
 * Setup: as zombie-consumer: N numbered messages over P partitions (P even), two instances per
 * group held at the start line until the group has split the partitions:
 * - file-checkpoint #1/#2: one checkpoint.json shared by both members;
 * - atomic-store #1/#2: one database per group; a save writes a partition only if its stored
 *   offset is still the one this process last read or wrote (compare-and-set in the transaction);
 * - kafka-transactions #1/#2: one transactional producer per input partition.
 * Fault: #1 is frozen with SIGSTOP right before its save after message f = C·B, inside its first
 * partition. #2 takes every partition when #1's session expires, drains and exits; then #1 gets
 * SIGCONT and makes the save it was about to make.
 *
 * Mechanism (predictions):
 * - atomic-store: #2 resumed #1's partition at the stored f − B and stored it further; the
 *   zombie's save finds a position it did not write: the transaction writes nothing for that
 *   partition and the save fails (FencedError): 0 lost, 0 duplicated effects.
 * - kafka-transactions: #2's producer for that partition (same transactional id) bumped the
 *   epoch when it started, aborting the zombie's open transaction; the zombie's commit is
 *   refused (its epoch is stale): its output never reaches read_committed readers: 0/0.
 * - file-checkpoint: the shared file takes the zombie's stale save and goes backwards; the
 *   zombie replays from it: nearly every message repeated (timing decides who wrote the file
 *   last before the takeover: N − (f − B) … N, as in zombie-consumer).
 * Deliveries: #2 resumed #1's partition at its last save f − B and was handed again the B
 * messages the zombie had processed; the zombie's next act after waking is the refused save,
 * and a refused save ends its process (the loop's rule), so it processes nothing more: B
 * duplicated deliveries for atomic-store and kafka-transactions.
 */
import type { StrategyReport } from '../src/checker/check.ts';
import { freeze } from '../src/faults/freeze.ts';
import type { Lang } from '../src/report/lang.ts';
import { defineScenario, type InstanceSpec, type Knobs as AllKnobs } from '../src/runner/scenario.ts';

type Knobs = AllKnobs<'crashBatch'>;
const freezeAt = (k: Knobs) => k.crashBatch * k.batch;
const perPartition = (k: Knobs) => k.messages / k.partitions;
const bases = ['file-checkpoint', 'atomic-store', 'kafka-transactions'] as const;
const pair = (strategy: (typeof bases)[number]): InstanceSpec[] =>
  strategy === 'file-checkpoint'
    ? [1, 2].map((n) => ({ name: `${strategy}#${n}`, strategy, group: strategy, options: { checkpointFile: 'shared-checkpoint.json' } }))
    : [1, 2].map((n) => ({ name: `${strategy}#${n}`, strategy, group: strategy }) as InstanceSpec);

export default defineScenario({
  name: 'zombie-right-way',
  summary: {
    en: 'a frozen consumer wakes and saves stale work: a position-checking store and a fenced Kafka transaction refuse it, a shared file takes it',
    zh: '被冻结的消费者醒来后保存过期的进度：检查位置的存储和被隔离的 Kafka 事务拒绝它，共享文件却照单全收',
  },
  knobs: {
    messages: { default: 2000 },
    partitions: { default: 4 },
    batch: { default: 100 },
    crashBatch: { default: 3, meaning: { en: 'instance #1 freezes right before its save after batch C', zh: '实例 #1 在第 C 批之后、保存之前被冻结' } },
  },
  instances: bases.flatMap(pair),
  faults: (k) => [freeze({ atProcessed: freezeAt(k), instances: bases.map((b) => `${b}#1`) })],
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
    'atomic-store': { lost: 0, duplicated: 0, duplicatedDeliveries: k.batch },
    'kafka-transactions': { lost: 0, duplicated: 0, duplicatedDeliveries: k.batch },
  }),
  lesson,
});

function lesson(k: Knobs, strategies: StrategyReport[], lang: Lang): string[] {
  const f = freezeAt(k);
  const by = (name: string) => strategies.find((s) => s.strategy === name);
  const effects = (name: string) => `${by(name)?.lost ?? 0}/${by(name)?.duplicated ?? 0}`;
  if (lang === 'zh') {
    return [
      `每种做法两个实例在同一个组里。等 #2 读完自己那一份后，#1 在第 ${f} 条之后、保存之前被 SIGSTOP 冻结；会话超时后 #2 接管全部分区、读完并退出；然后 #1 收到 SIGCONT，去做它冻结前要做的保存。`,
      `file-checkpoint（两个实例共用一个文件）：文件接受了僵尸的过期保存，进度“倒退”，僵尸按它重放：丢失/重复 = ${effects('file-checkpoint')}。`,
      `atomic-store：保存在事务里先比较每个分区存储的位置是否还是自己上次读到或写入的那个；#2 已经把它推进了，所以僵尸的这一批一行也写不进去，保存失败：${effects('atomic-store')}。文件做不到这一点：它没有“比较并交换”。`,
      `kafka-transactions：#2 为该分区启动同一个 transactional id 的生产者时提升了 epoch，僵尸未完成的事务被中止，它的提交被拒绝（epoch 过期），输出永远到不了 read_committed 的读者：${effects('kafka-transactions')}。注意 kafkajs 2.2.4 的 sendOffsets 用的是旧版 TxnOffsetCommit（没有组 generation 隔离，KIP-447），这里起作用的是 transactional id 的隔离。`,
      `投递仍然重复：#2 从 #1 最后保存的 ${f - k.batch} 继续，重新拿到僵尸处理过的 ${k.batch} 条（${by('atomic-store')?.duplicatedDeliveries ?? 0} / ${by('kafka-transactions')?.duplicatedDeliveries ?? 0}）；僵尸醒来后的第一件事就是那次被拒绝的保存，保存被拒绝后进程退出，不再处理任何消息。`,
    ];
  }
  return [
    `Two instances per design in one group. Once #2 had read its own share, #1 was frozen with SIGSTOP after message ${f}, right before saving; when its session expired #2 took every partition, drained and exited; then #1 got SIGCONT and made the save it had been about to make.`,
    `file-checkpoint (one file shared by both): the file accepted the zombie's stale save and went backwards, and the zombie replayed from it: ${effects('file-checkpoint')} lost/duplicated.`,
    `atomic-store: inside its transaction a save first checks that each partition's stored position is still the one this process last read or wrote; #2 had moved it on, so not one row of the zombie's batch was written and the save failed: ${effects('atomic-store')}. A plain file cannot do this: it has no compare-and-set.`,
    `kafka-transactions: when #2 started the producer with the same transactional id for that partition, the epoch was bumped, the zombie's open transaction was aborted, and its commit was refused (stale epoch): its output never reaches read_committed readers: ${effects('kafka-transactions')}. kafkajs 2.2.4's sendOffsets uses an old TxnOffsetCommit (no group-generation fencing, KIP-447): here the fencing comes from the transactional id.`,
    `Deliveries still repeat: #2 resumed at #1's last save (${f - k.batch}) and was handed again the ${k.batch} messages the zombie had processed (${by('atomic-store')?.duplicatedDeliveries ?? 0} / ${by('kafka-transactions')?.duplicatedDeliveries ?? 0}); the zombie's first act after waking is the refused save, and a refused save ends its process, so it processes nothing more.`,
  ];
}
