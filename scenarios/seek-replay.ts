/**
 * seek-replay — "once committed, the consumer never fetches those messages again" (claim C1).
 *
 * Setup: N numbered messages; four consumers, each in its own group, each reads the whole
 * topic, commits to Kafka after every batch and exits cleanly. Then each is restarted, after:
 * - resumes: nothing (manual-commit): the group resumes at its committed offsets;
 * - offset-reset: an operator resets the group's committed offsets to the earliest
 *   (what `kafka-consumer-groups --reset-offsets --to-earliest` does: src/kafka/set-group-offsets.ts);
 * - new-group: the same code under a new group.id (another service, a renamed deployment);
 * - seek-back: a consumer that commits to Kafka AND keeps its position in a checkpoint file
 *   (file-checkpoint with commitToKafka) restarts with the file saying "the middle of each
 *   partition": its code seeks there, although Kafka's committed offset is the end.
 *
 * Mechanism (predictions, exact for any partition count):
 * - resumes: the committed offset is the next message to read (C2), i.e. the end: 0 re-read;
 * - offset-reset: the group's position is now the log start: all N read again;
 * - new-group: a group with no committed offsets starts where auto.offset.reset says
 *   (earliest here): all N read again; the old group's commits do not matter to it;
 * - seek-back: a seek moves the fetch position whatever is committed: the second half of
 *   every partition is read again.
 * A commit is a group's resume position, not a mark on the log: the log keeps every message
 * until retention deletes it, and anyone may read it again.
 */
import type { StrategyReport } from '../src/checker/check.ts';
import { rewind } from '../src/faults/rewind.ts';
import type { Positions } from '../src/history/events.ts';
import type { Lang } from '../src/report/lang.ts';
import { defineScenario, type Knobs as AllKnobs, type RunContext } from '../src/runner/scenario.ts';

type Knobs = AllKnobs<never>;

/** Messages in partition p: message n goes to partition (n − 1) mod P (src/kafka/topic.ts). */
const endOf = (k: Knobs, p: number) => (p < k.messages ? Math.floor((k.messages - 1 - p) / k.partitions) + 1 : 0);
const partitionsOf = (k: Knobs) => Array.from({ length: k.partitions }, (_, p) => p);
/** seek-back goes to the middle of every partition. */
export const seekBackPositions = (k: Knobs): Positions => Object.fromEntries(partitionsOf(k).map((p) => [p, Math.floor(endOf(k, p) / 2)]));
const seekBackRereads = (k: Knobs) => partitionsOf(k).reduce((sum, p) => sum + endOf(k, p) - Math.floor(endOf(k, p) / 2), 0);

export default defineScenario({
  name: 'seek-replay',
  summary: {
    en: 'after a commit: resume (0 again), an offset reset, a new group and a seek back each read the messages again',
    zh: '提交之后：正常恢复（0 条重读）、重置 offset、新的消费组、seek 回退，后三者都会再次读到消息',
  },
  knobs: { messages: { default: 1000 }, partitions: { default: 1 }, batch: { default: 100 } },
  instances: [
    { name: 'resumes', strategy: 'manual-commit' },
    { name: 'offset-reset', strategy: 'manual-commit' },
    { name: 'new-group', strategy: 'manual-commit' },
    { name: 'seek-back', strategy: 'file-checkpoint', options: { write: 'atomic', commitToKafka: true } },
  ],
  faults: (k) => [
    rewind([
      { instance: 'resumes', how: 'resume' },
      { instance: 'offset-reset', how: 'reset-offsets' },
      { instance: 'new-group', how: 'new-group' },
      { instance: 'seek-back', how: 'seek-back', positions: () => seekBackPositions(k) },
    ]),
  ],
  predict: (k) => ({
    resumes: { lost: 0, duplicated: 0 },
    'offset-reset': { lost: 0, duplicated: k.messages },
    'new-group': { lost: 0, duplicated: k.messages },
    'seek-back': { lost: 0, duplicated: seekBackRereads(k) },
  }),
  lesson,
});

function lesson(k: Knobs, strategies: StrategyReport[], lang: Lang, run: RunContext = { client: 'kafkajs' }): string[] {
  const platformatic = run.client === 'platformatic';
  const dup = (name: string) => strategies.find((s) => s.strategy === name)?.duplicated ?? 0;
  const middle = JSON.stringify(seekBackPositions(k));
  if (lang === 'zh') {
    return [
      `四个消费者各在自己的消费组里读完全部 ${k.messages} 条消息，每 ${k.batch} 条向 Kafka 提交一次，干净退出；然后各自重启。`,
      `resumes：什么都没改，消费组从已提交的 offset（下一条要读的消息，即末尾）继续：重读 ${dup('resumes')} 条。这就是“提交之后不会再拉取”的真实含义：它说的是这个消费组的恢复位置。`,
      `offset-reset：运维把这个消费组的已提交 offset 重置到最早（kafka-consumer-groups --reset-offsets）：重读 ${dup('offset-reset')} 条。new-group：同样的代码换一个 group.id：新组没有已提交的 offset，按 ${platformatic ? '流的 fallbackMode（本实验用 committed 模式加 earliest 回退：messages-stream.js 的 #assignOffsets）' : 'auto.offset.reset（这里是 earliest）'}从头读：重读 ${dup('new-group')} 条，旧组的提交与它无关。`,
      `seek-back：这个消费者既向 Kafka 提交，又把位置写在 checkpoint 文件里；重启时文件说“每个分区的中间” ${middle}，代码就 seek 到那里——尽管 Kafka 里提交的是末尾：重读 ${dup('seek-back')} 条。seek 决定拉取位置，提交只是恢复时的默认起点。`,
      `结论：C1 只对“同一个消费组、没有 seek、没有重置”成立。已提交的消息仍然在日志里，直到保留策略删除它们；任何组、任何 seek 都可以再读一遍。`,
    ];
  }
  return [
    `Four consumers, each in its own group, read all ${k.messages} messages, committing to Kafka every ${k.batch}, and exited cleanly; then each was restarted.`,
    `resumes: nothing changed; the group resumed at its committed offset (the next message to read: the end) and read ${dup('resumes')} again. That is what "committed means never fetched again" really says: it is about the group's resume position.`,
    `offset-reset: an operator reset the group's committed offsets to the earliest (kafka-consumer-groups --reset-offsets): ${dup('offset-reset')} read again. new-group: the same code under a new group.id has no committed offsets and starts where ${platformatic ? "the stream's fallbackMode says (the lab asks for mode committed with fallback earliest: messages-stream.js #assignOffsets)" : 'auto.offset.reset says (earliest here)'}: ${dup('new-group')} read again; the old group's commits are not its business.`,
    `seek-back: this consumer commits to Kafka and also keeps its position in a checkpoint file; on restart the file said "the middle of each partition" ${middle} and its code sought there, although Kafka's committed offset was the end: ${dup('seek-back')} read again. A seek decides where fetching goes; the commit is only where a group starts when nobody seeks.`,
    `Bottom line: C1 holds only for the same group, with no seek and no reset. Committed messages stay in the log until retention deletes them; any group and any seek can read them again.`,
  ];
}
