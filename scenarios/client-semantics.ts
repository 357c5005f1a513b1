/**
 * client-semantics — the same crash, the same strategies, two Kafka clients side by side.
 *
 * Setup: N numbered messages; every strategy twice, once on kafkajs 2.2.4 and once on
 * @platformatic/kafka (InstanceSpec.client), each in its own group; four at a time, two
 * strategies on both clients side by side (all fourteen at once made two cores the lesson: the
 * 1.5 s session evicted kafkajs members). Fault: each is SIGKILLed right after processing message
 * c = (crashBatch − 1)·batch + crashAfter, before its batch is saved; restart; drain.
 *
 * Mechanism (predictions; scenarios/client-mechanisms.ts cites the source of each):
 * - auto-commit (5 s timer): kafkajs commits only handled offsets and only at a batch end
 *   (never reached) → repeats; platformatic's timer has not fired → repeats all c.
 * - auto-commit-default (each client's own default timing): kafkajs commits after each
 *   processed batch → the same as above; platformatic (`autocommit: true`) commits the
 *   fetched end right after the first fetch → everything after c is skipped: N − c lost.
 * - handed-off: kafkajs commits the batch end as soon as the handlers returned → loss (how
 *   much is timing); platformatic only on its timer → repeats all c, loses none.
 * - manual-commit, file-checkpoint: the client does not matter: crashAfter repeated.
 * - atomic-store: 0/0 on both (crashAfter redelivered). On platformatic the start is a
 *   parameter of the stream (mode MANUAL, offsets) instead of a seek that must beat the first
 *   fetch; neither client has assign() or an awaited revoke callback (see the lesson).
 * - kafka-transactions: 0/0 on both (crashAfter redelivered): the crash batch's transaction
 *   never committed. The offsets go into it differently (kafkajs: sendOffsets, TxnOffsetCommit
 *   v0–1 without membership; platformatic: addOffset, v3+ with the member id and generation the
 *   message was fetched under, KIP-447): a crash does not tell them apart, a zombie does
 *   (zombie-right-way). platformatic's InitProducerId needs producer id/epoch −1/−1 to take
 *   back an id used before (src/consumer/platformatic-transactions.ts).
 */
import type { StrategyReport } from '../src/checker/check.ts';
import type { ClientName } from '../src/consumer/clients.ts';
import { killAt } from '../src/faults/kill-at.ts';
import type { Lang } from '../src/report/lang.ts';
import { crashMessage, defineScenario, type InstanceSpec, type Knobs, type StrategyPrediction } from '../src/runner/scenario.ts';
import type { StrategyChoice } from '../src/strategies/strategy.ts';
import { autoCommitMechanism, awaitedAutoCommit, handedOffAutoCommit } from './client-mechanisms.ts';

const clients: ClientName[] = ['kafkajs', 'platformatic'];
const rows: Array<{ name: string; choice: StrategyChoice }> = [
  { name: 'auto-commit', choice: { strategy: 'auto-commit' } },
  { name: 'auto-commit-default', choice: { strategy: 'auto-commit', options: { timing: 'client-default' } } },
  { name: 'handed-off', choice: { strategy: 'auto-commit', options: { processing: 'handed-off' } } },
  { name: 'manual-commit', choice: { strategy: 'manual-commit' } },
  { name: 'file-checkpoint', choice: { strategy: 'file-checkpoint' } },
  { name: 'atomic-store', choice: { strategy: 'atomic-store' } },
  { name: 'kafka-transactions', choice: { strategy: 'kafka-transactions' } },
];
const at = (row: string, client: ClientName) => `${row}@${client}`;

function predictRow(row: string, client: ClientName, k: Knobs<'crashAfter' | 'crashBatch'>): StrategyPrediction {
  if (row === 'auto-commit') return awaitedAutoCommit(k, client, 'interval');
  if (row === 'auto-commit-default') return awaitedAutoCommit(k, client, 'client-default');
  if (row === 'handed-off') return handedOffAutoCommit(k, client);
  if (row === 'atomic-store' || row === 'kafka-transactions') return { lost: 0, duplicated: 0, duplicatedDeliveries: k.crashAfter };
  return { lost: 0, duplicated: k.crashAfter };
}

export default defineScenario({
  name: 'client-semantics',
  summary: {
    en: 'the same crash and strategies on kafkajs and on @platformatic/kafka: where the client, not Kafka, decides what is lost',
    zh: '同样的崩溃、同样的策略，分别跑在 kafkajs 和 @platformatic/kafka 上：哪些丢失由客户端而不是 Kafka 决定',
  },
  knobs: { messages: { default: 1000 }, partitions: { default: 1 }, batch: { default: 100 }, crashAfter: { default: 37 }, crashBatch: { default: 3 } },
  instances: rows.flatMap(({ name, choice }) => clients.map((client) => ({ ...choice, name: at(name, client), client }) as InstanceSpec)),
  atOnce: 2 * clients.length,
  faults: (k) => [killAt({ point: 'mid-batch', atProcessed: crashMessage(k) })],
  predict: (k) => Object.fromEntries(rows.flatMap(({ name }) => clients.map((client) => [at(name, client), predictRow(name, client, k)]))),
  lesson,
});

function lesson(k: Knobs<'crashAfter' | 'crashBatch'>, strategies: StrategyReport[], lang: Lang): string[] {
  const c = crashMessage(k);
  const n = (row: string, client: ClientName) => {
    const s = strategies.find((r) => r.strategy === at(row, client));
    return s ? `${s.lost}/${s.duplicated}` : '—';
  };
  const both = (row: string) => `kafkajs ${n(row, 'kafkajs')}, platformatic ${n(row, 'platformatic')}`;
  if (lang === 'zh') {
    return [
      `每种策略在两个客户端上各跑一次（各自的消费组），都在处理完第 ${c} 条消息后被 SIGKILL，然后重启读到末尾。下面的数字是 丢失/重复。`,
      `${autoCommitMechanism('kafkajs', lang)} ${autoCommitMechanism('platformatic', lang)}`,
      `auto-commit（两边都是 5 秒定时）：${both('auto-commit')}。两边都还没提交，结果相同——但原因不同。auto-commit-default（各自的默认时机）：${both('auto-commit-default')}。@platformatic/kafka 的默认值在第一次 fetch 之后立即提交了整个分区的末尾，崩溃后缓冲中未处理的 ${k.messages - c} 条被跳过：自动提交在这里“丢数据”，即使处理是在循环里等待完成的。handed-off：${both('handed-off')}——在 kafkajs 上丢失，在定时提交的 platformatic 上只重复。`,
      `manual-commit：${both('manual-commit')}；file-checkpoint：${both('file-checkpoint')}；atomic-store：${both('atomic-store')}。自己决定何时保存位置的策略不受客户端影响。`,
      `起始位置：@platformatic/kafka 的流默认从 LATEST 开始（messages-stream.ts 构造函数 mode ?? LATEST），只有在 COMMITTED 模式下才读取消费组已提交的 offset（#refreshOffsets）；本实验显式使用 COMMITTED + EARLIEST 回退。它没有 seek：起点是流的参数（MANUAL 模式的 offsets），在第一次 fetch 之前就确定，所以 file-checkpoint 与 atomic-store 的第一次分配没有“seek 与 fetch 赛跑”的问题。但它没有不经消费组的 assign()（流只读取消费组分配给它的分区：#assignmentsForTopic），经典协议下也没有可等待的撤销回调（心跳发现再均衡时只发出 consumer:group:rebalance 事件就重新加入：consumer.ts 的 #heartbeat / #getRejoinError），所以策略并没有因此变得更简单。`,
      `kafka-transactions：${both('kafka-transactions')}。两个客户端上崩溃那一批的事务都没有提交，read_committed 的读者永远看不到它的记录。事务里的 offset 走的路不同：kafkajs 的 sendOffsets 发送 TxnOffsetCommit v0–1，不带成员和 generation（src/protocol/requests/txnOffsetCommit）；@platformatic/kafka 的 addOffset 发送 v3+，带上消息被 fetch 时的 member id 和 generation（producer.ts 的 [kTransactionCommitOffset]，KIP-447）。崩溃区分不出两者，僵尸可以：zombie-right-way --client platformatic 里，每个进程一个 transactional id 的僵尸被消费组以 UNKNOWN_MEMBER_ID 拒绝。另外，@platformatic/kafka 的 InitProducerId 默认发送 producer id 0、epoch 0（producer.ts 的 #initIdempotentProducer），对用过的 transactional id，broker 以 PRODUCER_FENCED 拒绝：重启的进程拿不回自己的 id；本实验像 Java 客户端一样传 −1/−1。`,
    ];
  }
  return [
    `Every strategy ran once on each client (each in its own group); each was SIGKILLed right after processing message ${c}, then restarted and drained. Numbers are lost/duplicated.`,
    `${autoCommitMechanism('kafkajs', lang)} ${autoCommitMechanism('platformatic', lang)}`,
    `auto-commit (a 5 s timer on both): ${both('auto-commit')}. Neither had committed yet: the same counts for different reasons. auto-commit-default (each client's own timing): ${both('auto-commit-default')}. @platformatic/kafka's default committed the whole partition's end right after the first fetch, so after the crash the ${k.messages - c} buffered, unprocessed messages were skipped: here auto-commit loses data even though the work was awaited in the loop. handed-off: ${both('handed-off')} — lost on kafkajs, only repeated on the timer-driven platformatic.`,
    `manual-commit: ${both('manual-commit')}; file-checkpoint: ${both('file-checkpoint')}; atomic-store: ${both('atomic-store')}. Strategies that decide themselves when to save a position do not depend on the client.`,
    `Where a consumer starts: a @platformatic/kafka stream starts at LATEST unless told (messages-stream.ts, constructor: mode ?? LATEST) and reads the group's commits only in mode COMMITTED (#refreshOffsets); the lab asks for COMMITTED with an EARLIEST fallback. It has no seek: the start is a parameter of the stream (mode MANUAL, offsets), fixed before its first fetch, so file-checkpoint and atomic-store have no seek-versus-fetch race on their first assignment. But it has no assign() without a group (the stream fetches only what the group assigned: #assignmentsForTopic) and, in the classic protocol, no awaited revoke callback (a heartbeat that finds a rebalance only emits consumer:group:rebalance and rejoins: consumer.ts, #heartbeat / #getRejoinError), so the strategies do not become simpler.`,
    `kafka-transactions: ${both('kafka-transactions')}. On both clients the crash batch's transaction was never committed, so a read_committed reader never sees its records. The offsets travel differently: kafkajs' sendOffsets sends TxnOffsetCommit v0–1, without member or generation (src/protocol/requests/txnOffsetCommit); @platformatic/kafka's addOffset sends v3+ with the member id and generation the message was fetched under (producer.ts, [kTransactionCommitOffset]; KIP-447). A crash cannot tell them apart, a zombie can: in zombie-right-way --client platformatic the group refuses a zombie with one transactional id per process (UNKNOWN_MEMBER_ID). And @platformatic/kafka's InitProducerId sends producer id 0 and epoch 0 unless told (producer.ts, #initIdempotentProducer), which the broker answers with PRODUCER_FENCED for an id used before: a restarted process could not take its transactional id back; the lab passes −1/−1, as the Java client does.`,
  ];
}
