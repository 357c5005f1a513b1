/**
 * zombie-consumer — a consumer freezes (a long GC pause, a stopped VM, SIGSTOP) past its
 * session timeout, its partitions move to the other member of its group, then it wakes up
 * and saves the position it had before it froze.
 *
 * Setup: N numbered messages over P partitions (P even, N a multiple of P); two groups of two
 * instances each, held at the start line until each group has split its partitions:
 * - manual-commit #1 and #2: commits in Kafka;
 * - file-checkpoint #1 and #2: one checkpoint.json shared by the two members (the way one
 *   service with two instances on a shared volume would keep it).
 * Fault: #1 is frozen with SIGSTOP right before it saves after message f = crashBatch·batch,
 * inside its first partition (f < N/P). The group evicts it after its session timeout; #2 takes
 * every partition, drains them and exits; then #1 gets SIGCONT and carries on: it saves.
 *
 * Mechanism (predictions):
 * - manual-commit: #1 had committed f − batch on its partition; #2 resumes there and repeats
 *   batch messages. The zombie's commit of f names a member the group has removed: Kafka
 *   rejects it with UNKNOWN_MEMBER_ID (observed; not a generation mismatch) and never applies it; kafkajs gives up on the rejected
 *   commit (the consumer crashes, exit 1) and the restarted process finds nothing left to do.
 *   Before it notices, the zombie may still process messages it had fetched before it froze
 *   (seen: one message of its other partition): those are repeated too. And #2's own last
 *   r = N/2 mod batch, read but not committed when it took over, come again: on the new
 *   assignment the client starts every partition with a commit at that commit, its own too
 *   (PartitionBook). So batch + r duplicated plus the zombie's after-wake work: a range from
 *   batch + r to batch + r + N/2 − f (measured with r = 32: 68 on kafkajs). Nothing lost.
 * - file-checkpoint: when #2 takes over it reads the shared file, which holds whichever member
 *   wrote last: #2's own partitions only (then it starts the moved partitions at the
 *   beginning) or #1's position before it froze (then it starts #1's partition there, at most
 *   f − batch). Which one is timing (how fast each member got through its messages). When the
 *   zombie wakes, the file accepts its stale save — the file goes backwards to {its partition:
 *   f} — and when the zombie rejoins and gets every partition, it replays from that file.
 *   #2 processed every message once except the x messages before its resume point on #1's
 *   partition; the zombie, counting what it did before freezing, after waking and after
 *   rejoining, processed every message once: N − x duplicated, x between 0 and f − batch.
 *
 * On @platformatic/kafka (--client platformatic) the zombie is not stopped by the refusal
 * (node_modules/@platformatic/kafka/dist/clients/consumer/consumer.js):
 * - on SIGCONT its overdue heartbeat gets UNKNOWN_MEMBER_ID; #getRejoinError clears its member
 *   id and #heartbeat rejoins the group (now alone) as a new member;
 * - its commit of f is refused too, and #commit, seeing an error that needs a rejoin, joins and
 *   sends the SAME commit again under the new generation: Kafka accepts it, and the group's
 *   committed offset on that partition goes back from N/P to f. No crash, no restart;
 * - the messages its stream had buffered before the freeze stay buffered across the rejoin
 *   (messages-stream.ts: #onConsumerGroupJoin only re-reads offsets), so it goes on processing
 *   them: the rest of its frozen partition (N/P − f, all processed by #2 too: the lab's drain
 *   needs that partition at its end), and then buffered messages of its other partitions until
 *   its drain stops it (how many is timing), at most the rest of its share: N/2 − f.
 *   So manual-commit: batch + N/P − f … batch + N/2 − f duplicated, 0 lost — and one batch
 *   more at most: the client can emit consumer:group:join twice within milliseconds (two
 *   rejoins), and the second re-read of the group's commits (#refreshOffsets, run again when
 *   one was pending) arrives while the zombie is already working through its buffer: it sets
 *   the fetch position back to the commit the zombie had just made, and that batch comes a third
 *   time (measured with 2 partitions: exactly one batch more, at batch 1, 2, 5, 20 and 100).
 * - unless the freeze outlasts the client's request timeout (30 s, network/connection.js
 *   requestTimeout): then a request it had in flight when it froze times out as it wakes, the
 *   client gives up ("Request timed out"), the process ends and is restarted, and it repeats
 *   nothing more: batch duplicated, as on kafkajs (seen once, on a machine so loaded that the
 *   freeze lasted 41 s). So the prediction on this client is batch … 2·batch + N/2 − f, and the
 *   lesson says which of the two happened (the row's restarts).
 * - file-checkpoint: as on kafkajs (the file takes the stale save; the zombie rejoins and
 *   replays from it), without the crash and restart.
 */
import type { StrategyReport } from '../src/checker/check.ts';
import type { Lang } from '../src/report/lang.ts';
import { freeze } from '../src/faults/freeze.ts';
import { defineScenario, type Knobs as AllKnobs, type RunContext } from '../src/runner/scenario.ts';
import { unsavedShare, unsavedShareClause } from './two-member-groups.ts';

type Knobs = AllKnobs<'crashBatch'>;

const freezeAt = (k: Knobs) => k.crashBatch * k.batch;
const perPartition = (k: Knobs) => k.messages / k.partitions;
const sharedFile = { checkpointFile: 'shared-checkpoint.json' };

export default defineScenario({
  name: 'zombie-consumer',
  summary: {
    en: 'a frozen consumer wakes after its partitions moved and saves its old position: Kafka refuses the stale commit (UNKNOWN_MEMBER_ID), the file takes it',
    zh: '被冻结的消费者在分区被转走后醒来并保存旧位置：Kafka 拒绝这个过期提交，文件却照单全收',
  },
  knobs: { messages: { default: 2000 }, partitions: { default: 4 }, batch: { default: 100 }, crashBatch: { default: 3, meaning: { en: 'instance #1 freezes right before its save after batch C', zh: '实例 #1 在第 C 批之后、保存之前被冻结' } } },
  instances: [
    { name: 'manual-commit#1', strategy: 'manual-commit', group: 'manual-commit' },
    { name: 'manual-commit#2', strategy: 'manual-commit', group: 'manual-commit' },
    { name: 'file-checkpoint#1', strategy: 'file-checkpoint', group: 'file-checkpoint', options: sharedFile },
    { name: 'file-checkpoint#2', strategy: 'file-checkpoint', group: 'file-checkpoint', options: sharedFile },
  ],
  faults: (k) => [freeze({ atProcessed: freezeAt(k), instances: ['manual-commit#1', 'file-checkpoint#1'] })],
  rebalances: 'expected',
  validate: (k, flag) =>
    k.partitions < 2 || k.partitions % 2 !== 0
      ? `zombie-consumer needs an even number of partitions (two instances share them), got ${flag('partitions')}`
      : k.messages % k.partitions !== 0
        ? `${flag('messages')} must be a multiple of ${flag('partitions')}`
        : freezeAt(k) >= perPartition(k)
          ? `the freeze (after message ${freezeAt(k)}: ${flag('crashBatch')} × ${flag('batch')}) must fall inside instance #1's first partition (${perPartition(k)} messages): lower --crash-batch or raise --messages`
          : undefined,
  predict: (k, run) => ({
    // From the same minimum on both clients: on platformatic a zombie that rejoins redoes at least the rest of
    // its partition, but one frozen past the client's request timeout ends like a kafkajs zombie (see above);
    // there a late re-read of the commits can repeat one batch more.
    'manual-commit': {
      lost: 0,
      duplicated: { min: k.batch + unsavedShare(k), max: k.batch + unsavedShare(k) + k.messages / 2 - freezeAt(k) + (run.client === 'platformatic' ? k.batch : 0) },
    },
    'file-checkpoint': { lost: 0, duplicated: { min: k.messages - (freezeAt(k) - k.batch), max: k.messages } },
  }),
  lesson: (k, strategies, lang, run: RunContext) => (run.client === 'platformatic' ? platformaticLesson(k, strategies, lang) : lesson(k, strategies, lang)),
});

/** The lesson on @platformatic/kafka: Kafka refuses the stale commit, the client rejoins and sends it again. */
function platformaticLesson(k: Knobs, strategies: StrategyReport[], lang: Lang): string[] {
  const f = freezeAt(k);
  const by = (name: string) => strategies.find((s) => s.strategy === name);
  const [first, , fileLine] = lesson(k, strategies, lang);
  const manual = by('manual-commit');
  // More than the rest of its share: a late re-read of the group's commits sent it back one batch.
  const thirdTime = (manual?.duplicated ?? 0) > k.batch + unsavedShare(k) + k.messages / 2 - f;
  const late =
    !thirdTime
      ? ''
      : lang === 'zh'
        ? `其中有一批处理了第三次：客户端几毫秒内两次发出 consumer:group:join（两次重新加入），第二次重新读取组的 offset（messages-stream.ts 的 #refreshOffsets，上一次还在进行时被挂起，随后立刻再跑一次）到达时僵尸已在处理缓冲的消息，于是把拉取位置拨回它刚提交的那个 offset，那一批又来了一次。`
        : ` One batch came a third time: the client emitted consumer:group:join twice within milliseconds (two rejoins), and the second re-read of the group's commits (messages-stream.ts #refreshOffsets, pending while the first ran, then run at once) arrived while the zombie was already working through its buffer: it set the fetch position back to the commit the zombie had just made, and that batch came again.`;
  // The other outcome: the freeze outlasted the client's request timeout and the zombie's process ended.
  if ((manual?.restarts ?? 0) > 0) {
    return [
      first!,
      lang === 'zh'
        ? `manual-commit（@platformatic/kafka）：#1 之前提交到 ${f - k.batch}，#2 从那里继续，重复 ${k.batch} 条${unsavedShareClause(k, 'zh')}。这一次僵尸被冻结的时间超过了 @platformatic/kafka 的请求超时（30 秒，network/connection.js 的 requestTimeout）：它醒来时，冻结前发出的请求超时，客户端放弃（“Request timed out”），进程结束并被重启，从组已提交的位置继续，没有再重复：共重复 ${manual?.duplicated ?? 0} 条，丢失 ${manual?.lost ?? 0} 条，和 kafkajs 一样。冻结时间短于请求超时时，它会重新加入组并重发那个过期提交，Kafka 会接受（见 README）。`
        : `manual-commit (@platformatic/kafka): #1 had committed ${f - k.batch}; #2 resumed there and repeated ${k.batch}${unsavedShareClause(k, 'en')}. This time the zombie stayed frozen longer than @platformatic/kafka's request timeout (30 s, network/connection.js requestTimeout): a request it had sent before the freeze timed out as it woke, the client gave up ("Request timed out"), its process ended and was restarted at the group's commits, and it repeated nothing more: ${manual?.duplicated ?? 0} duplicated, ${manual?.lost ?? 0} lost, as on kafkajs. With a freeze shorter than the request timeout it rejoins and sends its stale commit again, and Kafka takes it (see the README).`,
      fileLine!,
    ];
  }
  if (lang === 'zh') {
    return [
      first!,
      `manual-commit（@platformatic/kafka）：#1 之前提交到 ${f - k.batch}，#2 从那里继续，重复 ${k.batch} 条${unsavedShareClause(k, 'zh')}。僵尸醒来后，逾期的心跳得到 UNKNOWN_MEMBER_ID，它的提交（${f}）也被组协调器拒绝——拒绝是 Kafka 的行为。但 @platformatic/kafka 不放弃：consumer.js 的 #commit 看到需要重新加入的错误（#getRejoinError），就以新成员身份重新加入组（此时组里只剩它），再用新的 generation 把同一个提交重发一次，Kafka 接受了：这个分区的已提交 offset 从 ${perPartition(k)} 倒退回 ${f}。僵尸没有崩溃、也没有重启；它的流在重新加入后仍保留冻结前缓冲的消息（messages-stream.ts 的 #onConsumerGroupJoin 只重新读取 offset），于是继续处理：先是冻结分区剩下的 ${perPartition(k) - f} 条（#2 都处理过），再是其他分区缓冲的消息，直到它读到末尾停下（多少取决于时序），并把这些位置又提交了一遍。共重复 ${by('manual-commit')?.duplicated ?? 0} 条，丢失 ${by('manual-commit')?.lost ?? 0} 条；时间线上方“Kafka 自己的视图”显示它最后的提交留下了什么。${late}`,
      fileLine!,
      `拒绝被移出成员的提交是 Kafka（组协调器）的行为；被拒之后怎么办由客户端决定：kafkajs 放弃（崩溃、重启，过期提交从未生效），@platformatic/kafka 重新加入并重发（过期提交生效，组的位置倒退）。要让僵尸真正被拒，位置得存在能做条件写入的地方（例如带版本检查的数据库），或者在提交前确认自己仍拥有该分区——两个客户端都没有在分区被收回前调用应用代码的回调。`,
    ];
  }
  return [
    first!,
    `manual-commit (@platformatic/kafka): #1 had committed ${f - k.batch}; #2 resumed there and repeated ${k.batch}${unsavedShareClause(k, 'en')}. When the zombie woke, its overdue heartbeat got UNKNOWN_MEMBER_ID and its commit of ${f} was refused by the group coordinator too: the refusal is Kafka's. But @platformatic/kafka does not give up: consumer.js #commit sees an error that needs a rejoin (#getRejoinError), joins the group again as a new member (now alone) and sends the same commit again under the new generation, which Kafka accepts: the group's committed offset on that partition went back from ${perPartition(k)} to ${f}. The zombie neither crashed nor restarted; its stream kept the messages it had buffered before freezing across the rejoin (messages-stream.ts, #onConsumerGroupJoin only re-reads offsets), so it went on: the ${perPartition(k) - f} left of its frozen partition (all processed by #2 as well), then buffered messages of its other partitions until it reached the end and stopped (how many is timing), committing those positions again. ${by('manual-commit')?.duplicated ?? 0} duplicated, ${by('manual-commit')?.lost ?? 0} lost; Kafka's own view of the group after the run (above the timeline) shows what its last commits left behind.${late}`,
    fileLine!,
    `Refusing a removed member's commit is Kafka's group coordinator; what happens after the refusal is the client's: kafkajs gives up (crash, restart; the stale commit never lands), @platformatic/kafka rejoins and sends it again (the stale commit lands; the group's position goes back). Refusing a zombie for good needs the position in a store with conditional writes (a database with a version check, say), or a check that the member still owns the partition before it commits — neither client calls the application before partitions are taken away.`,
  ];
}

function lesson(k: Knobs, strategies: StrategyReport[], lang: Lang): string[] {
  const f = freezeAt(k);
  const by = (name: string) => strategies.find((s) => s.strategy === name);
  if (lang === 'zh') {
    return [
      `每组两个实例。等 #2 读完自己那一份后，#1 在第 ${f} 条之后、保存之前被 SIGSTOP 冻结（像长时间 GC 停顿或虚拟机被挂起）：不再发心跳，会话超时后被逐出组，#2 接管全部分区、读完并退出；然后 #1 收到 SIGCONT 继续运行，先做它冻结前要做的保存。`,
      `manual-commit：#1 之前提交到 ${f - k.batch}，#2 从那里继续，重复 ${k.batch} 条${unsavedShareClause(k, 'zh')}。僵尸醒来后提交 ${f}，但它已不是组成员：Kafka 以 UNKNOWN_MEMBER_ID 拒绝了这个过期提交（这个成员已经被移出组；不是 generation 不匹配），kafkajs 因此崩溃，重启后无事可做。在发现自己被隔离之前，僵尸还会处理它冻结前已经取到的消息（时序决定多少），这些也会重复。共重复 ${by('manual-commit')?.duplicated ?? 0} 条，丢失 ${by('manual-commit')?.lost ?? 0} 条。`,
      `file-checkpoint（两个实例共用一个文件）：#2 接管时文件里是最后写入者的内容（它自己的分区，或 #1 冻结前的位置，取决于时序），转来的分区从那里或从头读。僵尸醒来后把旧位置写进文件——文件“倒退”了，没有任何东西拒绝它；它重新加入后拿到全部分区，按这个倒退的文件重放。共重复 ${by('file-checkpoint')?.duplicated ?? 0} 条：几乎每条消息都多处理了一次。`,
      `拒绝过期成员的提交是 Kafka（组协调器）的行为；被拒后崩溃重启是 kafkajs 的行为。检查点文件没有这种保护，而且用 kafkajs 的公开 API 也补不上：GROUP_JOIN 事件不带 generation id，普通文件也没有“比较并设置”。要拒绝僵尸，位置得存在能做条件写入的地方（例如带版本检查的数据库），或者就用 Kafka 的提交。`,
    ];
  }
  return [
    `Two instances per group. Once #2 had read its own share, #1 was frozen with SIGSTOP after message ${f}, right before saving (as in a long GC pause or a suspended VM): no heartbeats, so the group evicted it after its session timeout; #2 took every partition, drained them and exited; then #1 got SIGCONT and carried on with the save it was about to make.`,
    `manual-commit: #1 had committed ${f - k.batch}; #2 resumed there and repeated ${k.batch}${unsavedShareClause(k, 'en')}. The zombie's commit of ${f} came from a member the group had removed: Kafka rejected it with UNKNOWN_MEMBER_ID (not a generation mismatch), kafkajs gave up (the consumer crashed) and the restarted process found nothing left to do. Before noticing it had been removed, the zombie still processed messages it had fetched before freezing (how many is timing); those were repeated too. ${by('manual-commit')?.duplicated ?? 0} duplicated, ${by('manual-commit')?.lost ?? 0} lost.`,
    `file-checkpoint (one file shared by both instances): when #2 took over, the file held whatever was written last (its own partitions, or #1's position before it froze: timing), and #2 read the moved partitions from there or from the start. The waking zombie wrote its old position into the file — the file went backwards and nothing refused it — then rejoined, got every partition and replayed from that file. ${by('file-checkpoint')?.duplicated ?? 0} duplicated in all: nearly every message once more.`,
    `Refusing a removed member's commit is Kafka's group coordinator; crashing and restarting on the refusal is kafkajs. A checkpoint file has no such protection, and kafkajs's public API cannot add it: its GROUP_JOIN event carries no generation id, and a plain file has no compare-and-set. Refusing a zombie needs the position in a store with conditional writes (a database with a version check, say), or Kafka's commits.`,
  ];
}
