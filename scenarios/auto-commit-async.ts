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
 * Mechanism (predictions; kafkajs 2.2.4, src/consumer/runner.js):
 * - awaited: as crash-mid-batch's auto-commit row (src/model/orders.ts): the restart repeats the
 *   partition batch of the fetch the crash was in.
 * - handed-off: `processEachMessage` resolves each offset as soon as eachMessage returns, and
 *   `handleBatch` commits after each partition batch; the fetcher fetches again as soon as the
 *   handler has returned for every batch (src/consumer/fetcher.js `start`). With every partition
 *   in one fetch, kafkajs has committed the end of every partition within milliseconds, while
 *   the worker needs 2 ms per message: at the crash after message c the committed offsets are
 *   the end offsets, and everything after c is lost: exactly N − c, nothing repeated. That
 *   needs the crash to come after kafkajs's commit has landed: the validator asks for c ≥ 100
 *   (200 ms of work) and for every partition to fit in one fetch.
 * Scope (kafkajs): with eachBatch, `processEachBatch` resolves batch.lastOffset() when the
 * handler returns (eachBatchAutoResolve, default true), even if the handler stopped early: the
 * loss then needs no hand-off at all. This scenario shows eachMessage.
 * - On @platformatic/kafka (--client platformatic) both commit only on the 5 s timer, which
 *   has not fired when the worker reaches the crash (~0.5 s): nothing is committed, both
 *   repeat every processed message and lose none. The same code loses on one client and
 *   repeats on the other: the client's commit timing decides (scenarios/client-mechanisms.ts).
 */
import type { StrategyReport } from '../src/checker/check.ts';
import type { Lang } from '../src/report/lang.ts';
import { killAt } from '../src/faults/kill-at.ts';
import { oneFetchPerPartition } from '../src/model/orders.ts';
import { crashMessage, defineScenario, type Knobs } from '../src/runner/scenario.ts';
import { tooLargeForOneResponse } from './crash-mid-batch.ts';

/** The handed-off crash must come after kafkajs has committed the fetched batches (2 ms of work per message). */
const earliestHandedOffCrash = 100;
import { autoCommitIntervalMs } from '../src/strategies/auto-commit.ts';
import { autoCommitMechanism, awaitedAutoCommit, handedOffAutoCommit } from './client-mechanisms.ts';

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
  validate: (k, flag) =>
    crashMessage(k) < earliestHandedOffCrash
      ? `the crash (message ${crashMessage(k)}: ${flag('crashBatch')}, ${flag('batch')}, ${flag('crashAfter')}) must come at message ${earliestHandedOffCrash} or later, so that kafkajs's commit of the fetched messages has landed before the worker dies (2 ms per message)`
      : !oneFetchPerPartition(k.messages, k.partitions)
        ? `${flag('messages')} over ${flag('partitions')} needs more than one fetch per partition (1 MiB each); the handed-off row is exact only when one fetch holds everything: use fewer messages or more partitions`
        : tooLargeForOneResponse(k, flag),
  predict: (k, run) => ({
    awaited: awaitedAutoCommit(k, run.client),
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
  const committedBefore = at - (awaited?.duplicated ?? 0);
  if (lang === 'zh') {
    return [
      `两个自动提交的消费者都在处理完第 ${at} 条消息后被 SIGKILL 杀死。自动提交的时机是 kafkajs 的行为（Java 客户端在 poll() 时提交），不是 Kafka broker 的。`,
      `awaited：处理在 eachMessage 里完成后才返回；kafkajs 只在处理函数返回后才把 offset 标记为可提交，并在一次 fetch 的分区批次处理完时或每 ${autoCommitIntervalMs} 毫秒提交。` +
        (committedBefore === 0 ? `崩溃时还没有任何提交` : `崩溃时已处理完的分区批次（${committedBefore} 条）已经提交`) +
        `，重启后重复 ${awaited?.duplicated ?? 0} 条，丢失 ${awaited?.lost ?? 0} 条。`,
      `handed-off：eachMessage 只把消息放进内存队列就立即返回，kafkajs 认为消息已经处理完，几毫秒内就走完取到的全部消息并提交了末尾，而后台工作者每条要 2 毫秒。崩溃时已提交的位置比实际完成的工作领先 ${ahead} 条：丢失 ${handedOff?.lost ?? 0} 条，重复 ${handedOff?.duplicated ?? 0} 条。`,
      `这才是“自动提交会丢数据”（C4）的真实机制：不是自动提交本身，而是处理函数在工作完成之前就返回了。用 eachBatch 时还有一种情况：kafkajs 在处理函数返回时把整批的最后一个 offset 标记为已处理（eachBatchAutoResolve 默认开启），即使处理函数提前停下也是如此：不用把工作交给后台，也会丢消息。`,
    ];
  }
  return [
    `Both auto-commit consumers were SIGKILLed right after processing message ${at}. When auto-commit commits is kafkajs's behaviour (the Java client commits inside poll()), not the broker's.`,
    `awaited: the work is done before eachMessage returns; kafkajs marks an offset committable only when the handler returns and commits when a fetch's partition batch is finished or every ${autoCommitIntervalMs} ms. ` +
      (committedBefore === 0 ? `Nothing had been committed at the crash` : `The partition batches finished before the crash (${committedBefore} messages) had been committed`) +
      `; the restart repeated ${awaited?.duplicated ?? 0} and lost ${awaited?.lost ?? 0}.`,
    `handed-off: eachMessage only queues the message and returns, so kafkajs treats it as done, runs through everything it fetched in milliseconds and commits its end, while the worker needs 2 ms per message. At the crash the committed position was ${ahead} messages ahead of the finished work: ${handedOff?.lost ?? 0} lost, ${handedOff?.duplicated ?? 0} duplicated.`,
    `That is the real mechanism behind "auto-commit loses data" (C4): not auto-commit itself, but a handler that returns before the work is done. With eachBatch there is a second way: kafkajs resolves the batch's last offset when the handler returns (eachBatchAutoResolve, on by default), even if the handler stopped early, so no hand-off is needed to lose messages.`,
  ];
}
