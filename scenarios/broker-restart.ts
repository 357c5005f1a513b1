/**
 * broker-restart — the broker is killed (SIGKILL) and restarted while the consumers run.
 *
 * Setup: N numbered messages on one partition; auto-commit, manual-commit and
 * file-checkpoint consumers, with a 30 s consumer session (longer than the outage).
 * Fault: every consumer holds right after processing message h = (crashBatch−1)·batch +
 * crashAfter; the broker's JVM is killed with SIGKILL; the consumers go on (the rest of the
 * partition is already fetched, in memory); the broker is started again on the same data
 * and port.
 *
 * Mechanism (predictions):
 * - the consumers keep processing what they had fetched; the next Kafka commit (manual-commit
 *   at the end of the batch, auto-commit at the end of the fetched batch) finds no broker,
 *   fails, and the client retries it until the restarted broker answers, here for ~30 s (as
 *   long as the session: retryWindowMs below): kafkajs with its backoff (19 retries, at most
 *   2 s apart: src/kafka/client.ts retriesFor), @platformatic/kafka in base.js
 *   [kPerformWithRetry] (retries × retryDelay 500 ms, the same window; its fetches too). On
 *   @platformatic/kafka auto-commit commits the end of the fetched batch on its 5 s
 *   timer or when it closes its stream after draining (messages-stream.js close), whichever first;
 * - the group survives: the broker restores it from __consumer_offsets, and the members'
 *   sessions (30 s) outlast the outage, so nobody is evicted and nothing rebalances;
 * - committed offsets and messages are in the broker's log, which a SIGKILL of the process
 *   does not lose (the page cache survives; only losing the machine could).
 * So nothing is lost or repeated by any strategy: 0/0 everywhere. Whether a session shorter
 * than the outage would evict the members is not shown here: Kafka's group coordinator re-arms
 * the members' session timers when it loads the group after the restart, so the lesson does
 * not claim it (read in Kafka's source, not measured here: the group coordinator's
 * GroupMetadataManager `onLoaded` calls `rescheduleClassicGroupMemberHeartbeat` for every member of
 * a loaded classic group, so each session starts afresh at the load). Exact while the whole partition is in memory
 * (one fetch): the validator refuses more.
 */
import type { StrategyReport } from '../src/checker/check.ts';
import type { Lang } from '../src/report/lang.ts';
import { crashMessage, defineScenario, type Knobs, type RunContext } from '../src/runner/scenario.ts';
import { brokerOutage } from '../src/faults/broker-outage.ts';
import { oneFetchPerPartition } from '../src/model/orders.ts';

export default defineScenario({
  name: 'broker-restart',
  summary: {
    en: 'the broker is SIGKILLed and restarted while the consumers run: commits fail, are retried, and land',
    zh: '消费者运行时 broker 被 SIGKILL 并重启：提交失败、重试、最终成功',
  },
  knobs: { messages: { default: 1000 }, partitions: { default: 1 }, batch: { default: 100 }, crashAfter: { default: 37 }, crashBatch: { default: 3 } },
  instances: ['auto-commit', 'manual-commit', 'file-checkpoint'],
  sessionTimeoutMs: 30_000,
  // The requests sent during the outage must outlast it: on a busy machine the restart took 19 s,
  // longer than the default ~13 s of retries; the auto-commit consumer's requests gave up (a
  // connection error), kafkajs restarted the consumer from the last commit (none) and it repeated
  // its 237. So the retries last as long as the session.
  retryWindowMs: 30_000,
  faults: (k) => [brokerOutage({ atProcessed: crashMessage(k) })],
  validate: (k, flag) =>
    k.partitions !== 1
      ? `broker-restart is defined on one partition, got ${flag('partitions')}; use --partitions 1`
      : !oneFetchPerPartition(k.messages, k.partitions)
        ? `${flag('messages')} needs more than one fetch (1 MiB): the consumers would have to fetch from the stopped broker, which this scenario does not model; use fewer messages`
        : undefined,
  predict: () => ({
    'auto-commit': { lost: 0, duplicated: 0 },
    'manual-commit': { lost: 0, duplicated: 0 },
    'file-checkpoint': { lost: 0, duplicated: 0 },
  }),
  lesson,
});

function lesson(k: Knobs, strategies: StrategyReport[], lang: Lang, run: RunContext = { client: 'kafkajs' }): string[] {
  const h = crashMessage(k);
  const total = (field: 'lost' | 'duplicated') => strategies.reduce((sum, s) => sum + s[field], 0);
  const platformatic = run.client === 'platformatic';
  if (lang === 'zh') {
    return [
      `三个消费者都在处理完第 ${h} 条后暂停；broker 的 JVM 被 SIGKILL，消费者继续处理已经取到内存里的消息，随后 broker 在同样的数据上重启。`,
      platformatic
        ? `下一次向 Kafka 提交（manual-commit 在这一批末尾；auto-commit 提交 fetch 批次的末尾，在它的 5 秒定时器触发时或读完后关闭流时，以先到者为准：messages-stream.js 的 close）时 broker 不在：提交失败，@platformatic/kafka 重试（base.js 的 [kPerformWithRetry]：本实验设 26 次、每次间隔 500 毫秒，约 13 秒，它的 fetch 也一样），直到重启后的 broker 应答。file-checkpoint 写本地文件，不受影响。`
        : `下一次向 Kafka 提交（manual-commit 在这一批末尾，auto-commit 在 fetch 批次末尾）时 broker 不在：提交失败，kafkajs 重试，直到重启后的 broker 应答。file-checkpoint 写本地文件，不受影响。`,
      `消费者组从 __consumer_offsets 恢复，成员会话（30 秒）比停机时间长，没人被逐出、没有再均衡；消息和已提交的 offset 都在 broker 的日志里，进程被杀不会丢（页缓存还在）。结果：丢失 ${total('lost')}，重复 ${total('duplicated')}。`,
      `这里没有演示更短的会话超时：Kafka 的组协调器在重启后加载消费者组时会重新开始计算成员的会话超时，所以停机本身不一定会让成员被逐出。提交失败后的重试是 ${platformatic ? '@platformatic/kafka' : 'kafkajs'} 的行为（重试窗口比停机短时，提交会失败）；组和 offset 保存在 __consumer_offsets 里是 Kafka 的行为。`,
    ];
  }
  return [
    `All three consumers held right after message ${h}; the broker's JVM was SIGKILLed, the consumers went on with the messages they had already fetched, and the broker was started again on the same data.`,
    platformatic
      ? `The next Kafka commit (manual-commit at the end of the batch; auto-commit the end of the fetched batch, on its 5 s timer or when it closed its stream after draining, whichever came first: messages-stream.js close) found no broker: it failed and @platformatic/kafka retried it (base.js [kPerformWithRetry]; the lab gives it 26 retries 500 ms apart, ~13 s, and its fetches the same) until the restarted broker answered. file-checkpoint writes a local file and did not notice.`
      : `The next Kafka commit (manual-commit at the end of the batch, auto-commit at the end of the fetched batch) found no broker: it failed and kafkajs retried it until the restarted broker answered. file-checkpoint writes a local file and did not notice.`,
    `The group was restored from __consumer_offsets and the members' sessions (30 s) outlasted the outage: nobody was evicted, nothing rebalanced. Messages and committed offsets are in the broker's log, which a killed process does not lose (the page cache survives). Result: ${total('lost')} lost, ${total('duplicated')} duplicated.`,
    `A shorter session is not shown here: Kafka's group coordinator re-arms the members' session timers when it loads the group after the restart, so the outage alone need not evict anyone. The retried commits are ${platformatic ? "@platformatic/kafka's" : "kafkajs's"} behaviour (a retry window shorter than the outage would fail the commit); the group and its offsets kept in __consumer_offsets are Kafka's.`,
  ];
}
