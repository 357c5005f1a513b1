/**
 * leader-failover — on a three-node cluster, the node that leads the topic's partition and
 * coordinates the groups is SIGKILLed while the consumers run, then brought back.
 *
 * Setup (--broker cluster): three KRaft nodes, replication factor 3 and min.insync.replicas 2
 * for the topic and __consumer_offsets; N numbered messages on one partition; auto-commit,
 * manual-commit and file-checkpoint consumers with a 6 s session and a heartbeat every 1.5 s.
 * The session is what the restarted manual-commit waits for before it can join: its predecessor
 * never left the group (its LeaveGroup would go to the dead node), and the new coordinator
 * evicts it one session after it loaded the group. A 15 s session made that wait ~10 s of the
 * run; 6 s leaves ~1 s, as the restart comes only after the node is back (~6 s after the kill).
 * No live member needs the session to outlast the failover: kafkajs and @platformatic/kafka
 * keep heartbeating the node they cached, so the new coordinator never hears from them
 * whatever the session. The heartbeat stays at 1.5 s, not a tenth of the session: a kafkajs
 * heartbeat due between the kill and the consumer's last message meets the dead node and
 * kafkajs restarts the consumer from its last commit (README, the cluster), so the rarer the
 * heartbeats the narrower that race (the consumers finish ~40 ms after the release here).
 * Fault: every consumer holds right after message h = (crashBatch−1)·batch + crashAfter; the
 * node leading partition 0 — which the harness's cluster also makes the group coordinator —
 * is SIGKILLed; the consumers go on; the controller fences the node (broker session 1.5 s)
 * and elects a new leader for partition 0 and for __consumer_offsets from the in-sync
 * replicas; the node is restarted and catches up.
 *
 * Mechanism (predictions):
 * - nothing committed or produced is lost: commits are written to __consumer_offsets and
 *   messages to the topic with acks=all on at least 2 of 3 replicas (min.insync.replicas=2), and
 *   the new leaders are elected from the in-sync replicas (no unclean election);
 * - auto-commit and file-checkpoint have every message fetched and finish without needing the
 *   coordinator again (file-checkpoint saves to its own disk): 0/0;
 * - manual-commit commits at the end of batch crashBatch while the node is down (it stays down
 *   at least 3 s). kafkajs keeps the coordinator's node id and, on a connection error, only
 *   reconnects to that node: it never asks who coordinates now (it does on NOT_COORDINATOR).
 *   The commit fails after its retries (connection refused, or "broker not found" once the
 *   metadata no longer lists the node). A refused save ends the consumer process (the lab's
 *   rule, src/consumer/consumer-loop.ts: going on would process messages it cannot save); it
 *   is restarted, looks the coordinator up afresh, rejoins and resumes from the last commit
 *   that landed: exactly the batch whose commit failed is repeated. The Java client marks the
 *   coordinator unknown on a disconnect and looks it up again, so it would retry the commit on
 *   the new coordinator.
 * On @platformatic/kafka (--client platformatic) the counts are the same, for a like reason: it
 * caches the coordinator's node id too (consumer.js #findGroupCoordinator: once #coordinatorId is
 * set it is not looked up again; NOT_COORDINATOR is retried against the same node), and a fetch's
 * retries stay on the node it started on (consumer.js #fetch, options.node; a node missing from
 * the metadata is a UserError, not retried). Measured (once): manual-commit's fetch gave up
 * ~5 s after the kill ("fetch failed 11 times", fewer than its 27 attempts) while its commit of
 * batch crashBatch was still unanswered; the error destroyed the messages stream, the process
 * ended (exit 1), and the restarted one repeated the batch. auto-commit and file-checkpoint had
 * drained before that.
 * file-checkpoint's position is on the consumer's own disk: the fault does not touch it, but
 * nothing replicates it either (claim D4).
 */
import type { StrategyReport } from '../src/checker/check.ts';
import { leaderFailover } from '../src/faults/leader-failover.ts';
import type { Lang } from '../src/report/lang.ts';
import { crashMessage, defineScenario, type Knobs, type RunContext } from '../src/runner/scenario.ts';

export default defineScenario({
  name: 'leader-failover',
  summary: {
    en: 'three-node cluster: the partition leader and group coordinator is SIGKILLed mid-run; consumers fail over, a kafkajs commit does not',
    zh: '三节点集群：运行中 SIGKILL 分区 leader 兼消费者组协调者；消费者切换过去，kafkajs 的提交却没有',
  },
  knobs: { messages: { default: 1000 }, partitions: { default: 1 }, batch: { default: 100 }, crashAfter: { default: 37 }, crashBatch: { default: 3 } },
  instances: ['auto-commit', 'manual-commit', 'file-checkpoint'],
  sessionTimeoutMs: 6000,
  heartbeatIntervalMs: 1500,
  faults: (k) => [leaderFailover({ atProcessed: crashMessage(k), downMs: 3000 })],
  // manual-commit's consumer is restarted after its failed commit (or, on platformatic, fetch) and
  // rejoins; a kafkajs consumer whose heartbeat met the dead node starts over in its process, as a new member.
  rebalances: 'any',
  validate: (k, flag) => (k.partitions !== 1 ? `leader-failover is defined on one partition, got ${flag('partitions')}; use --partitions 1` : undefined),
  predict: (k) => ({
    'auto-commit': { lost: 0, duplicated: 0 },
    'manual-commit': { lost: 0, duplicated: k.batch },
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
      `三个消费者都在处理完第 ${h} 条后暂停；领导分区 0、同时担任消费者组协调者的节点被 SIGKILL，消费者继续运行。控制器把它隔离，从同步副本（ISR）中为分区 0 和 __consumer_offsets 选出新的 leader；随后该节点在原数据上重启并追上。`,
      platformatic
        ? `auto-commit 和 file-checkpoint 已经取到全部消息，之后不再需要协调者（file-checkpoint 写自己的磁盘）：丢失 0，重复 0。manual-commit 在第 ${k.crashBatch} 批末尾提交时节点还没回来：@platformatic/kafka 也记住协调者的节点号（consumer.js 的 #findGroupCoordinator：#coordinatorId 一旦设定就不再查询；NOT_COORDINATOR 也只在同一个节点上重试），它的 fetch 重试也一直发往最初的节点（consumer.js 的 #fetch，options.node；元数据里没有这个节点时是不重试的 UserError）。两者都不会成功，先放弃的那个让消费者进程退出（exit 1）——实测是 fetch：击杀后约 5 秒（“fetch failed 11 times”），它销毁了消息流，那时提交还没有应答。进程重启后重新查找协调者、重新加入，从最后一次成功的提交继续：正好重复这一批（${k.batch} 条）。结果：丢失 ${total('lost')}，重复 ${total('duplicated')}。`
        : `auto-commit 和 file-checkpoint 已经取到全部消息，之后不再需要协调者（file-checkpoint 写自己的磁盘）：丢失 0，重复 0。manual-commit 在第 ${k.crashBatch} 批末尾提交时节点还没回来：kafkajs 记住的是协调者的节点号，连接失败时只会重连同一个节点，不会重新查询谁是协调者（只有收到 NOT_COORDINATOR 才会）。重试用完后提交失败（连接被拒，或元数据里已经没有这个节点）；保存被拒绝后消费者进程退出（本实验的规则：继续处理只会产生无法保存的进度），随后被重启，重新查找协调者、重新加入，从最后一次成功的提交继续：正好重复提交失败的那一批（${k.batch} 条）。Java 客户端断线时会把协调者标为未知并重新查找，提交会在新协调者上重试成功。结果：丢失 ${total('lost')}，重复 ${total('duplicated')}。`,
      `位置保存在哪里：auto-commit 和 manual-commit 把 offset 提交到 Kafka 的 __consumer_offsets——它有 3 个副本，每次提交至少写到 2 个（min.insync.replicas=2），所以失去一个节点不会丢掉任何已提交的位置。file-checkpoint 把位置写在消费者自己的一块本地磁盘上：这次故障没碰它，但也没有任何东西复制它——那块盘丢了，位置就丢了。这就是声明 D4 所说的“失去 Kafka 的内置功能”：复制和故障切换是 Kafka 的 offset 机制白送的。`,
    ];
  }
  return [
    `All three consumers held right after message ${h}; the node that led partition 0 and coordinated the groups was SIGKILLed and the consumers went on. The controller fenced it and elected new leaders for partition 0 and for __consumer_offsets from the in-sync replicas; the node was then restarted on its data and caught up.`,
    platformatic
      ? `auto-commit and file-checkpoint had every message fetched and finished without needing the coordinator again (file-checkpoint saves to its own disk): 0/0. manual-commit committed at the end of batch ${k.crashBatch} while the node was still down: @platformatic/kafka remembers the coordinator's node id too (consumer.js #findGroupCoordinator: once #coordinatorId is set it is not looked up again; NOT_COORDINATOR is retried against the same node), and a fetch's retries stay on the node it started on (consumer.js #fetch, options.node; a node missing from the metadata is a UserError, not retried). Neither can succeed, and whichever gives up first ends the consumer process (exit 1) — measured: the fetch, about 5 s after the kill ("fetch failed 11 times"), destroying the messages stream while the commit was still unanswered. The process was restarted, looked the coordinator up afresh, rejoined and resumed from the last commit that landed: exactly that batch (${k.batch}) again. The Java client marks the coordinator unknown on a disconnect and looks it up again. Result: ${total('lost')} lost, ${total('duplicated')} duplicated.`
      : `auto-commit and file-checkpoint had every message fetched and finished without needing the coordinator again (file-checkpoint saves to its own disk): 0/0. manual-commit committed at the end of batch ${k.crashBatch} while the node was still down: kafkajs remembers the coordinator's node id and, on a connection error, only reconnects to that node; it never asks who coordinates now (it does on NOT_COORDINATOR). The commit failed after its retries (connection refused, or "broker not found" once the metadata no longer listed the node); a refused save ends the consumer process (the lab's rule: going on would only make progress it cannot save), which was restarted, looked the coordinator up afresh, rejoined and resumed from the last commit that landed: exactly the batch whose commit failed (${k.batch}) again. The Java client marks the coordinator unknown on a disconnect and looks it up again, so its retried commit would land on the new coordinator. Result: ${total('lost')} lost, ${total('duplicated')} duplicated.`,
    `Where each keeps its position: auto-commit and manual-commit commit to Kafka's __consumer_offsets, which has 3 replicas, every commit on at least 2 of them (min.insync.replicas=2), so losing a node loses no committed position. file-checkpoint keeps its position on one local disk of the consumer: this fault did not touch it, but nothing replicates it either — lose that disk and the position is gone. That is claim D4's "giving up Kafka's built-in offset machinery": replication and failover come free with Kafka's commits.`,
  ];
}
