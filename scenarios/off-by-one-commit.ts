/**
 * off-by-one-commit — "processed A, B, C and committed offset C, so the next fetch starts at
 * D" (claim C3). Kafka's committed offset is the next message to read: committing C means
 * C is read again.
 *
 * Setup: N numbered messages; two manual-commit consumers, one committing offset+1 (right),
 * one committing the processed offset (off by one).
 * Fault: each is SIGKILLed after message (crashBatch−1)·batch + crashAfter.
 *
 * Mechanism (predictions; src/model/one-fetch.ts `partitionsTouched`):
 * - offset+1: resumes after the last saved batch: crashAfter repeated.
 * - offset: every save names every partition processed so far, one below its next offset;
 *   the restart reads each of them one message early: crashAfter + (partitions named by the
 *   last save) repeated. With crashBatch 1 nothing was saved: crashAfter, like offset+1.
 *   How many partitions the last save names depends on kafkajs's (unfixed) partition order
 *   when the partitions' first fetches differ in size: min/max over orders.
 */
import type { StrategyReport } from '../src/checker/check.ts';
import type { Lang } from '../src/report/lang.ts';
import { killAt } from '../src/faults/kill-at.ts';
import { partitionsTouched } from '../src/model/one-fetch.ts';
import { crashMessage, defineScenario, savedBeforeCrash, type Knobs, type Prediction } from '../src/runner/scenario.ts';

const lastSave = (k: Knobs) => savedBeforeCrash(crashMessage(k), k.batch);
/** crashAfter plus one per partition the last save named. */
function offByOneRepeats(k: Knobs): Prediction {
  const touched = partitionsTouched(k.messages, k.partitions, lastSave(k));
  return typeof touched === 'number' ? k.crashAfter + touched : { min: k.crashAfter + touched.min, max: k.crashAfter + touched.max };
}

export default defineScenario({
  name: 'off-by-one-commit',
  summary: {
    en: 'committing the processed offset instead of offset+1: one extra duplicate per partition per restart (C3)',
    zh: '提交已处理的 offset 而不是 offset+1：每个分区每次重启多重复一条（C3）',
  },
  knobs: { messages: { default: 1000 }, partitions: { default: 1 }, batch: { default: 100 }, crashAfter: { default: 37 }, crashBatch: { default: 3 } },
  instances: [
    { name: 'commit offset+1', strategy: 'manual-commit' },
    { name: 'commit offset', strategy: 'manual-commit', options: { commitOffset: 'processed' } },
  ],
  faults: (k) => [killAt({ point: 'mid-batch', atProcessed: crashMessage(k) })],
  predict: (k) => ({
    'commit offset+1': { lost: 0, duplicated: k.crashAfter },
    'commit offset': { lost: 0, duplicated: offByOneRepeats(k) },
  }),
  lesson,
});

function lesson(k: Knobs, strategies: StrategyReport[], lang: Lang): string[] {
  const at = crashMessage(k);
  const by = (name: string) => strategies.find((s) => s.strategy === name);
  const saved = lastSave(k);
  const one = k.partitions === 1;
  if (lang === 'zh') {
    return [
      `两个消费者都在处理完第 ${at} 条后被 SIGKILL。Kafka 提交的 offset 含义是“下一条要读的消息”（这是 Kafka 的规则，所有客户端都一样）。`,
      saved === 0
        ? `崩溃发生在第一批之内，两者都还没有提交过：重启都从头开始，各重复 ${by('commit offset+1')?.duplicated ?? 0} / ${by('commit offset')?.duplicated ?? 0} 条。差一的错误要等到有提交之后才显现。`
        : one
          ? `commit offset+1：处理完第 ${saved} 条（offset ${saved - 1}）后提交 ${saved}，重启从第 ${saved + 1} 条开始：重复 ${by('commit offset+1')?.duplicated ?? 0} 条。commit offset：提交的是 ${saved - 1}，也就是已经处理过的第 ${saved} 条；重启从它开始：重复 ${by('commit offset')?.duplicated ?? 0} 条。`
          : `commit offset+1 在第 ${saved} 条之后为每个已处理的分区提交了下一条的 offset：重复 ${by('commit offset+1')?.duplicated ?? 0} 条。commit offset 为每个分区都少提交一，重启时每个分区都多读一条已处理的消息：重复 ${by('commit offset')?.duplicated ?? 0} 条。`,
      `每个被提交过的分区，每次重启多重复一条。“处理了 A、B、C 并提交 C，下次从 D 开始”（C3）是错的：提交 C 下次会从 C 开始，要提交 C+1。`,
    ];
  }
  return [
    `Both consumers were SIGKILLed after message ${at}. A committed offset means "the next message to read" (Kafka's rule, the same for every client).`,
    saved === 0
      ? `The crash came inside the first batch, before either had committed anything: both restarted at the beginning and repeated ${by('commit offset+1')?.duplicated ?? 0} / ${by('commit offset')?.duplicated ?? 0}. The off-by-one shows only once something has been committed.`
      : one
        ? `commit offset+1 committed ${saved} after processing message ${saved} (offset ${saved - 1}); the restart began at message ${saved + 1}: ${by('commit offset+1')?.duplicated ?? 0} duplicated. commit offset committed ${saved - 1}, the offset of message ${saved}, already processed; the restart began with it: ${by('commit offset')?.duplicated ?? 0} duplicated.`
        : `After message ${saved} commit offset+1 committed, for every partition processed so far, the next offset: ${by('commit offset+1')?.duplicated ?? 0} duplicated. commit offset committed one less on each of them, so the restart read one processed message again per partition: ${by('commit offset')?.duplicated ?? 0} duplicated.`,
    `One extra duplicate per committed partition on every restart. "Processed A, B, C and committed C, so the next fetch starts at D" (C3) is wrong: committing C makes the next fetch start at C; commit C+1.`,
  ];
}
