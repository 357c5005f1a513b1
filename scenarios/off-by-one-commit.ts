/**
 * off-by-one-commit — "processed A, B, C and committed offset C, so the next fetch starts at
 * D" (claim C3). Kafka's committed offset is the next message to read: committing C means
 * C is read again.
 *
 * Setup: N numbered messages; two manual-commit consumers, one committing offset+1 (right),
 * one committing the processed offset (off by one).
 * Fault: each is SIGKILLed after message (crashBatch−1)·batch + crashAfter.
 *
 * Mechanism (predictions, exact for one partition):
 * - offset+1: resumes after the last saved batch: crashAfter repeated.
 * - offset: resumes at the last message of the saved batch: crashAfter + 1 repeated; one
 *   extra duplicate per partition it had committed, on every restart. With several
 *   partitions, how many partitions had a commit before the crash decides: a range.
 */
import type { StrategyReport } from '../src/checker/check.ts';
import type { Lang } from '../src/report/lang.ts';
import { killAt } from '../src/faults/kill-at.ts';
import { crashMessage, defineScenario, type Knobs } from '../src/runner/scenario.ts';

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
    'commit offset': { lost: 0, duplicated: k.partitions === 1 ? k.crashAfter + 1 : { min: k.crashAfter + 1, max: k.crashAfter + k.partitions } },
  }),
  lesson,
});

function lesson(k: Knobs, strategies: StrategyReport[], lang: Lang): string[] {
  const at = crashMessage(k);
  const by = (name: string) => strategies.find((s) => s.strategy === name);
  const lastSaved = (k.crashBatch - 1) * k.batch;
  if (lang === 'zh') {
    return [
      `两个消费者都在处理完第 ${at} 条后被 SIGKILL。Kafka 提交的 offset 含义是“下一条要读的消息”。`,
      `commit offset+1：处理完第 ${lastSaved} 条（offset ${lastSaved - 1}）后提交 ${lastSaved}，重启从第 ${lastSaved + 1} 条开始：重复 ${by('commit offset+1')?.duplicated ?? 0} 条。`,
      `commit offset：提交的是 ${lastSaved - 1}，也就是已经处理过的第 ${lastSaved} 条；重启从它开始：重复 ${by('commit offset')?.duplicated ?? 0} 条，每个分区每次重启多一条。`,
      `“处理了 A、B、C 并提交 C，下次从 D 开始”（C3）是错的：提交 C 下次会从 C 开始，要提交 C+1。`,
    ];
  }
  return [
    `Both consumers were SIGKILLed after message ${at}. A committed offset in Kafka means "the next message to read".`,
    `commit offset+1 committed ${lastSaved} after processing message ${lastSaved} (offset ${lastSaved - 1}); the restart began at message ${lastSaved + 1}: ${by('commit offset+1')?.duplicated ?? 0} duplicated.`,
    `commit offset committed ${lastSaved - 1}, the offset of message ${lastSaved}, already processed; the restart began with it: ${by('commit offset')?.duplicated ?? 0} duplicated — one extra per partition on every restart.`,
    `"Processed A, B, C and committed C, so the next fetch starts at D" (C3) is wrong: committing C makes the next fetch start at C; commit C+1.`,
  ];
}
