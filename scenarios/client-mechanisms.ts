/**
 * What each client does where the lessons depend on it, read from its source (cited per
 * fact), and the auto-commit predictions that follow. Shared by crash-mid-batch,
 * auto-commit-async and client-semantics.
 *
 * kafkajs 2.2.4 (src/consumer/runner.js, offsetManager/index.js): an offset becomes
 * committable when eachMessage returns (processEachMessage → resolveOffset); auto-commit
 * commits the resolved offsets after each fetched partition batch (autoCommitOffsets) and
 * every autoCommitInterval (commitOffsetsIfNecessary).
 *
 * @platformatic/kafka 1.35 (src/clients/consumer/messages-stream.ts): #pushRecords records
 * the end of each fetched batch in #offsetsToCommit while pushing the batch into the stream,
 * before the application reads a message of it; [kAutocommit] commits that map right after
 * the fetch when `autocommit: true` (its default: options.ts defaultConsumerOptions), or on
 * a timer when autocommit is a number.
 */
import type { ClientName } from '../src/consumer/clients.ts';
import type { Lang } from '../src/report/lang.ts';
import { crashMessage, type Knobs, type Prediction, type StrategyPrediction } from '../src/runner/scenario.ts';
import { autoCommitIntervalMs } from '../src/strategies/auto-commit.ts';
import { autoCommitRepeats as repeatsOf } from '../src/model/orders.ts';

type CrashKnobs = Knobs<'crashAfter' | 'crashBatch'>;

/** Messages per partition that one fetch surely holds (each is ~50 bytes; kafkajs 1 MiB per partition, platformatic 10 MiB). */
export const oneFetchLimit = 10_000;

/**
 * kafkajs, awaited work: the restart repeats the partition batch of the fetch the crash was in
 * (the fetch boundaries come from the record batches in the log: src/model/orders.ts). Fetches
 * over 10 MiB are refused by the scenarios' validators; the range is only a fallback.
 */
export function kafkajsAutoCommitRepeats(k: CrashKnobs): Prediction {
  return repeatsOf(k.messages, k.partitions, crashMessage(k)) ?? { min: 1, max: crashMessage(k) };
}

/** Awaited auto-commit: what a crash at message c leaves, per client and commit timing. */
export function awaitedAutoCommit(k: CrashKnobs, client: ClientName, timing: 'interval' | 'client-default' = 'interval'): StrategyPrediction {
  const at = crashMessage(k);
  // kafkajs: the same with or without the interval (the crash comes long before 5 s; the batch end is never reached).
  if (client === 'kafkajs') return { lost: 0, duplicated: kafkajsAutoCommitRepeats(k) };
  // platformatic on a 5 s timer: the crash comes before the first tick, nothing is committed.
  if (timing === 'interval') return { lost: 0, duplicated: at };
  // platformatic's default: the first fetch's end is committed at once; all after the crash point is skipped.
  if (k.messages / k.partitions <= oneFetchLimit) return { lost: k.messages - at, duplicated: 0 };
  return { lost: { min: 0, max: k.messages - at }, duplicated: { min: 0, max: at } };
}

/** Work handed off to a queue, auto-commit on the 5 s interval. */
export function handedOffAutoCommit(k: CrashKnobs, client: ClientName): StrategyPrediction {
  const at = crashMessage(k);
  // kafkajs commits every fetched partition's end within milliseconds, the worker needs 2 ms a
  // message: everything after the crash is lost (the validator asks for the crash at message
  // ≥ 100 and one fetch per partition: scenarios/auto-commit-async.ts).
  if (client === 'kafkajs') return { lost: k.messages - at, duplicated: 0 };
  // platformatic commits only on its timer, which has not fired when the worker reaches the crash (≈ 2 ms per message).
  return { lost: 0, duplicated: at };
}

/** One sentence per client: when its auto-commit commits (for the lessons). */
export function autoCommitMechanism(client: ClientName, lang: Lang): string {
  if (client === 'kafkajs') {
    return lang === 'zh'
      ? `kafkajs 只在 eachMessage 返回后把 offset 标为可提交（src/consumer/runner.js 的 processEachMessage → resolveOffset），并在一个分区批次处理完时（autoCommitOffsets）和每 ${autoCommitIntervalMs} 毫秒（offsetManager 的 commitOffsetsIfNecessary）提交。`
      : `kafkajs marks an offset committable only when eachMessage has returned (src/consumer/runner.js, processEachMessage → resolveOffset) and commits at the end of each fetched partition batch (autoCommitOffsets) and every ${autoCommitIntervalMs} ms (offsetManager, commitOffsetsIfNecessary).`;
  }
  return lang === 'zh'
    ? `@platformatic/kafka 在把一次 fetch 的批次推入流时，就把批次末尾记为待提交的 offset（src/clients/consumer/messages-stream.ts 的 #pushRecords），那时应用一条都还没读；autocommit 为 true（它的默认值，options.ts 的 defaultConsumerOptions）时 fetch 之后立刻提交（[kAutocommit]），为数字时按定时器提交（本实验用 ${autoCommitIntervalMs} 毫秒）。`
    : `@platformatic/kafka records the END of each fetched batch as the offset to commit when it pushes the batch into the stream (src/clients/consumer/messages-stream.ts, #pushRecords), before the application has read a single message of it; with autocommit true (its default: options.ts, defaultConsumerOptions) it commits right after the fetch ([kAutocommit]), with a number on a timer (the lab uses ${autoCommitIntervalMs} ms).`;
}
