/**
 * the-right-way — offsets kept outside Kafka, done right, next to checkpoint.json (claims S, B4).
 *
 * Setup: N numbered messages; six consumers, each in its own group, on the same data:
 * - file-checkpoint: the question's design — results written as it goes, offsets in a file
 *   after each batch, apart from the results;
 * - atomic-store: Kafka's own recipe ("Storing Offsets Outside Kafka", KafkaConsumer docs):
 *   the batch's results and each partition's next offset in ONE SQLite transaction; on every
 *   assignment it seeks to the stored offsets; it never commits to Kafka;
 * - atomic-store+kafka: the same, and after each database commit it also commits to Kafka,
 *   only so lag tools see progress (what Flink does after a checkpoint completes);
 * - idempotent-sink: at-least-once delivery (Kafka commit after each batch) into an upsert
 *   keyed by (topic, partition, offset): a repeated delivery overwrites its own row;
 * - state-snapshot (Flink/Spark style): count and sum per key kept in memory and snapshotted
 *   with the offsets in one transaction per batch; each message is also appended to a side
 *   log outside the snapshot;
 * - kafka-transactions: consume–transform–produce; one output record per input message,
 *   written in a Kafka transaction together with the input offsets (sendOffsets).
 * Fault: each is SIGKILLed right after processing message c = (crashBatch − 1)·batch + crashAfter,
 * before its batch is saved. Each restarts and drains.
 *
 * Mechanism (predictions; exact for any partition count, because every strategy saves the
 * positions of everything it processed at the same batch boundaries):
 * - every one of them is redelivered the crashAfter messages processed since its last save:
 *   crashAfter duplicated deliveries each;
 * - file-checkpoint: those messages' results were already written: crashAfter duplicated effects;
 * - atomic-store (both): the batch's results were in the open transaction, which died with the
 *   process: the database holds results and offsets of the same messages: 0 lost, 0 duplicated;
 * - idempotent-sink: the redelivered messages overwrite their own rows: 0/0 effects;
 * - state-snapshot: state and offsets were restored together, so the state is exact; the side
 *   log is outside the snapshot: crashAfter duplicated lines;
 * - kafka-transactions: a batch's output is sent at its save, in one request, with its offsets
 *   after it; the crash batch's output was never sent and nothing of it committed: 0/0.
 */
import type { StrategyReport } from '../src/checker/check.ts';
import { killAt } from '../src/faults/kill-at.ts';
import type { Lang } from '../src/report/lang.ts';
import { crashMessage, defineScenario, type Knobs } from '../src/runner/scenario.ts';

const effectsOnce = (k: Knobs) => ({ lost: 0, duplicated: 0, duplicatedDeliveries: k.crashAfter });

export default defineScenario({
  name: 'the-right-way',
  summary: {
    en: 'offsets stored atomically with the results (database, snapshot, Kafka transaction, idempotent upsert) next to checkpoint.json, same crash',
    zh: 'offset 与结果原子地存在一起（数据库、快照、Kafka 事务、幂等写入），与 checkpoint.json 在同一次崩溃下对比',
  },
  knobs: { messages: { default: 1000 }, partitions: { default: 1 }, batch: { default: 100 }, crashAfter: { default: 37 }, crashBatch: { default: 3 } },
  instances: [
    'file-checkpoint',
    'atomic-store',
    { name: 'atomic-store+kafka', strategy: 'atomic-store', options: { commitToKafka: true } },
    'idempotent-sink',
    'state-snapshot',
    'kafka-transactions',
  ],
  faults: (k) => [killAt({ point: 'mid-batch', atProcessed: crashMessage(k) })],
  predict: (k) => ({
    'file-checkpoint': { lost: 0, duplicated: k.crashAfter, duplicatedDeliveries: k.crashAfter },
    'atomic-store': effectsOnce(k),
    'atomic-store+kafka': effectsOnce(k),
    'idempotent-sink': effectsOnce(k),
    'state-snapshot': { lost: 0, duplicated: k.crashAfter, duplicatedDeliveries: k.crashAfter },
    'kafka-transactions': effectsOnce(k),
  }),
  lesson,
});

function lesson(k: Knobs, strategies: StrategyReport[], lang: Lang): string[] {
  const c = crashMessage(k);
  const by = (name: string) => strategies.find((s) => s.strategy === name);
  // A row the client could not run (the report says why) has no counts: '—', never a made-up 0/0.
  const effects = (name: string) => (by(name) || strategies.length === 0 ? `${by(name)?.lost ?? 0}/${by(name)?.duplicated ?? 0}` : '—');
  const deliveries = (name: string) => by(name)?.duplicatedDeliveries ?? 0;
  if (lang === 'zh') {
    return [
      `六个消费者读同一批数据，都在处理完第 ${c} 条消息后、保存这一批之前被 SIGKILL，然后重启读到末尾。每个消费者都被重新投递了上次保存之后处理过的 ${k.crashAfter} 条消息（重复投递 ${deliveries('atomic-store')} 条）：投递的重复是不可避免的；问题是结果会不会重复。`,
      `file-checkpoint（问题里的做法）：结果边处理边写，offset 每批写进文件，两者分开：重复投递的 ${k.crashAfter} 条又写了一遍结果，丢失/重复 = ${effects('file-checkpoint')}。`,
      `atomic-store：这一批的结果和每个分区的下一个 offset 在同一个 SQLite 事务里提交（Kafka 官方文档 KafkaConsumer 的 “Storing Offsets Outside Kafka”）；进程死时事务没有提交，数据库里的结果和 offset 描述的是同一批消息：丢失/重复 = ${effects('atomic-store')}。它从不向 Kafka 提交 offset；atomic-store+kafka 在数据库提交后再向 Kafka 提交，只是为了让监控工具看到消费进度（Flink 在检查点完成后也这样做），恢复仍然以数据库为准：${effects('atomic-store+kafka')}。`,
      `idempotent-sink：按 (topic, partition, offset) 做 upsert，重复投递只是覆盖自己的那一行：${effects('idempotent-sink')}。kafka-transactions：输出记录和输入 offset 在同一个 Kafka 事务里提交（sendOffsets）；每批的输出在保存时和 offset 一起发送，所以崩溃那一批的输出根本没有到达 topic，也没有任何部分被提交：${effects('kafka-transactions')}（crash-during-save 在发送之后杀掉它：那个事务被中止，read_committed 的读者看不到它的记录）。`,
      `state-snapshot（Flink/Spark 的做法）：状态和 offset 一起做快照、一起恢复，所以状态完全正确${by('state-snapshot') ? '' : ''}；但快照之外的副作用（追加到外部日志）重复了 ${by('state-snapshot')?.duplicated ?? 0} 条：检查点给的是“精确一次的状态”，不是“精确一次的副作用”。`,
      `结论：把 offset 存在 Kafka 之外本身是正规做法——前提是它和结果原子地存在一起。单独写一个 checkpoint.json 才是脆弱的那种（S、B4）。`,
    ];
  }
  return [
    `Six consumers read the same data; each was SIGKILLed right after processing message ${c}, before saving its batch, then restarted and drained. Each was handed again the ${k.crashAfter} messages it had processed since its last save (${deliveries('atomic-store')} repeated deliveries): repeated deliveries cannot be avoided; the question is whether results repeat.`,
    `file-checkpoint (the question's design): results written as it goes, offsets in a file after each batch, apart from each other: the ${k.crashAfter} redelivered messages were written again. Lost/duplicated effects: ${effects('file-checkpoint')}.`,
    `atomic-store: the batch's results and each partition's next offset are committed in ONE SQLite transaction (Kafka's KafkaConsumer documentation, "Storing Offsets Outside Kafka"); the process died with the transaction open, so the database's results and offsets describe the same messages: ${effects('atomic-store')}. It never commits to Kafka; atomic-store+kafka also commits to Kafka after the database commit, only so lag tools see progress (as Flink does after a checkpoint completes) — it still resumes from the database: ${effects('atomic-store+kafka')}.`,
    `idempotent-sink: an upsert keyed by (topic, partition, offset); a repeated delivery overwrites its own row: ${effects('idempotent-sink')}. kafka-transactions: output records and input offsets commit in one Kafka transaction (sendOffsets); a batch's output is sent at its save, with its offsets, so the crash batch's output never reached the topic and nothing of it was committed: ${effects('kafka-transactions')} (crash-during-save kills it after sending: that transaction is aborted, and a read_committed reader never sees its records).`,
    `state-snapshot (Flink/Spark style): state and offsets are snapshotted and restored together, so the state is exact; the side effect outside the snapshot (an append to an external log) repeated ${by('state-snapshot')?.duplicated ?? 0} lines: a checkpoint gives exactly-once state, not exactly-once side effects.`,
    `Bottom line: keeping offsets outside Kafka is standard practice — when they are stored atomically with the results. A checkpoint.json written apart from the results is the fragile variant (claims S, B4).`,
  ];
}
