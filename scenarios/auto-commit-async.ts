/**
 * auto-commit-async — the real mechanism behind "auto-commit loses data" (claim C4).
 *
 * Setup: N numbered messages. Two kafkajs auto-commit consumers:
 * - awaited: the work is awaited inside eachMessage (as in crash-mid-batch);
 * - handed-off: eachMessage puts the message on an in-memory queue and returns at once;
 *   a worker does the work later (2 ms per message).
 * Fault: each is SIGKILLed right after the worker has processed message
 * (crashBatch−1)·batch + crashAfter.
 *
 * Mechanism (predictions):
 * - awaited: nothing is committed before its handler returns; the first fetch holds the whole
 *   partition and its end (the first commit) is never reached: the restart repeats every
 *   processed message. Duplicates = crash message number, no loss (see crash-mid-batch).
 * - handed-off: kafkajs considers a message done when eachMessage returns, i.e. at once. It
 *   runs through the whole fetched batch in a few milliseconds and commits its end, while
 *   the worker is still at the start of its queue. At the crash the committed offset is far
 *   ahead of the work: everything queued but not done is lost. How far the commit ran ahead
 *   is timing (here the whole first fetch, so N − crash message in practice); the prediction
 *   is the bound: at least one message lost, at most every message after the crash point,
 *   and nothing repeated.
 * - On @platformatic/kafka (--client platformatic) both commit only on the 5 s timer, which
 *   has not fired when the worker reaches the crash (~0.5 s): nothing is committed, both
 *   repeat every processed message and lose none. The same code loses on one client and
 *   repeats on the other: the client's commit timing decides (scenarios/client-mechanisms.ts).
 */
import type { StrategyReport } from '../src/checker/check.ts';
import type { Lang } from '../src/report/lang.ts';
import { killAt } from '../src/faults/kill-at.ts';
import { crashMessage, defineScenario, type Knobs } from '../src/runner/scenario.ts';
import { autoCommitIntervalMs } from '../src/strategies/auto-commit.ts';
import { autoCommitMechanism, handedOffAutoCommit } from './client-mechanisms.ts';

export default defineScenario({
  name: 'auto-commit-async',
  summary: {
    en: 'auto-commit with the work handed off to a queue: offsets are committed before the work is done, a crash loses it',
    zh: '自动提交 + 把工作异步交给队列：offset 在工作完成前就被提交，崩溃会丢失这些工作',
  },
  knobs: { messages: { default: 1000 }, partitions: { default: 1 }, batch: { default: 100 }, crashAfter: { default: 37 }, crashBatch: { default: 3 } },
  instances: [
    { name: 'awaited', strategy: 'auto-commit' },
    { name: 'handed-off', strategy: 'auto-commit', options: { processing: 'handed-off' } },
  ],
  faults: (k) => [killAt({ point: 'mid-batch', atProcessed: crashMessage(k) })],
  predict: (k, run) => ({
    awaited:
      run.client === 'platformatic' || (k.partitions === 1 && k.messages <= 10_000)
        ? { lost: 0, duplicated: crashMessage(k) }
        : { lost: 0, duplicated: { min: 1, max: crashMessage(k) } },
    'handed-off': handedOffAutoCommit(k, run.client),
  }),
  lesson: (k, strategies, lang, run) => (run.client === 'kafkajs' ? lesson(k, strategies, lang) : platformaticLesson(k, strategies, lang)),
});

function platformaticLesson(k: Knobs, strategies: StrategyReport[], lang: Lang): string[] {
  const at = crashMessage(k);
  const count = (name: string) => {
    const s = strategies.find((r) => r.strategy === name);
    return `${s?.duplicated ?? 0}/${s?.lost ?? 0}`;
  };
  if (lang === 'zh') {
    return [
      `两个自动提交的消费者（@platformatic/kafka，每 ${autoCommitIntervalMs} 毫秒提交）都在处理完第 ${at} 条消息后被 SIGKILL 杀死。`,
      autoCommitMechanism('platformatic', lang),
      `定时器在崩溃前还没触发，所以两者都什么都没提交：重启后从头开始，awaited 与 handed-off 的重复/丢失分别为 ${count('awaited')} 与 ${count('handed-off')}。在 kafkajs 上 handed-off 会丢数据（批次末尾在几毫秒内就被提交）；在这里它只会重复——同样的代码，结果由客户端的提交时机决定。`,
      `但不要把这当成安全：定时器一旦在崩溃前触发，两者都会提交已 fetch 的末尾，缓冲中未处理的消息就会丢失（见 client-semantics）。`,
    ];
  }
  return [
    `Both auto-commit consumers (@platformatic/kafka, committing every ${autoCommitIntervalMs} ms) were SIGKILLed right after processing message ${at}.`,
    autoCommitMechanism('platformatic', lang),
    `The timer had not fired before the crash, so neither had committed anything: both restarted at the start; duplicated/lost: awaited ${count('awaited')}, handed-off ${count('handed-off')}. On kafkajs handed-off loses (it commits the batch end within milliseconds); here it only repeats: the same code, and the client's commit timing decides.`,
    `Do not read this as safety: had the timer fired before the crash, both would have committed the fetched end, and the buffered, unprocessed messages would be lost (see client-semantics).`,
  ];
}

function lesson(k: Knobs, strategies: StrategyReport[], lang: Lang): string[] {
  const at = crashMessage(k);
  const by = (name: string) => strategies.find((s) => s.strategy === name);
  const awaited = by('awaited');
  const handedOff = by('handed-off');
  const ahead = handedOff?.crashes[0]?.savedNotProcessed ?? 0;
  if (lang === 'zh') {
    return [
      `两个自动提交的消费者都在处理完第 ${at} 条消息后被 SIGKILL 杀死。`,
      `awaited：处理在 eachMessage 里被等待完成；kafkajs 只在处理函数返回后才把 offset 标记为可提交，并在一次 fetch 的批次结束或每 ${autoCommitIntervalMs} 毫秒提交。崩溃时什么都没提交，重启后重复 ${awaited?.duplicated ?? 0} 条，丢失 ${awaited?.lost ?? 0} 条。`,
      `handed-off：eachMessage 只把消息放进内存队列就立即返回，kafkajs 认为消息已经处理完，几毫秒内就走完整批并提交了批次末尾，而后台工作者才刚开始。崩溃时已提交的位置比实际完成的工作领先 ${ahead} 条：这些消息丢失 ${handedOff?.lost ?? 0} 条，重复 ${handedOff?.duplicated ?? 0} 条。领先多少取决于时序，但方向不会变：只丢不重。`,
      `这才是“自动提交会丢数据”（C4）的真实机制：不是自动提交本身，而是在工作完成之前就让处理函数返回。`,
    ];
  }
  return [
    `Both auto-commit consumers were SIGKILLed right after processing message ${at}.`,
    `awaited: the work is awaited inside eachMessage; kafkajs marks an offset committable only when the handler returns and commits at the end of a fetched batch or every ${autoCommitIntervalMs} ms. Nothing was committed at the crash, so the restart repeated ${awaited?.duplicated ?? 0} and lost ${awaited?.lost ?? 0}.`,
    `handed-off: eachMessage only queues the message and returns, so kafkajs treats it as done, runs through the whole fetched batch in milliseconds and commits its end while the worker has barely started. At the crash the committed position was ${ahead} messages ahead of the finished work: ${handedOff?.lost ?? 0} lost, ${handedOff?.duplicated ?? 0} duplicated. How far ahead is timing; the direction is not: loss, never duplicates.`,
    `That is the real mechanism behind "auto-commit loses data" (C4): not auto-commit itself, but returning from the handler before the work is done.`,
  ];
}
