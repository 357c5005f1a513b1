/**
 * two-services — several services reading one topic (claim G1), and two services sharing
 * one checkpoint.json by mistake.
 *
 * Setup: N numbered messages. Four consumers, each in its own consumer group, run one after
 * another (their order is the lesson):
 * - service-A and service-B: manual-commit, no crash. Each group has its own offsets, so each
 *   service sees every message exactly once, whatever the other does.
 * - shared-file-A and shared-file-B: file-checkpoint, both configured with the same file
 *   shared-checkpoint.json. A crashes after message c = (crashBatch−1)·batch + crashAfter,
 *   before the save of its batch (its file then says a = (crashBatch−1)·batch). B starts, reads
 *   A's position a, and crashes after processing c + batch messages, having written
 *   a + floor((c+batch−1)/batch)·batch = b. A restarts from B's b, B restarts from the end A wrote last.
 *
 * Mechanism (predictions, one partition):
 * - service-A, service-B: lost 0, duplicated 0 each.
 * - shared-file-A: skips what B read past its own crash: b − c lost, nothing repeated.
 * - shared-file-B: never reads what A had read before it started, nor anything after its own
 *   crash (A moved the file to the end): N − (c + batch) lost.
 */
import type { StrategyReport } from '../src/checker/check.ts';
import type { Lang } from '../src/report/lang.ts';
import { killAt } from '../src/faults/kill-at.ts';
import { crashMessage, defineScenario, savedBeforeCrash, type Knobs } from '../src/runner/scenario.ts';

const shared = { checkpointFile: 'shared-checkpoint.json' };
const aSaved = (k: Knobs) => savedBeforeCrash(crashMessage(k), k.batch);
const bCrash = (k: Knobs) => crashMessage(k) + k.batch;
const bSaved = (k: Knobs) => aSaved(k) + savedBeforeCrash(bCrash(k), k.batch);

export default defineScenario({
  name: 'two-services',
  summary: {
    en: 'two services on one topic keep their own offsets (G1); two services sharing one checkpoint.json corrupt each other',
    zh: '两个服务读同一个 topic 各自保存 offset（G1）；两个服务误用同一个 checkpoint.json 会互相破坏进度',
  },
  knobs: { messages: { default: 1000 }, partitions: { default: 1 }, batch: { default: 100 }, crashAfter: { default: 37 }, crashBatch: { default: 3 } },
  atOnce: 1,
  instances: [
    { name: 'service-A', strategy: 'manual-commit' },
    { name: 'service-B', strategy: 'manual-commit' },
    { name: 'shared-file-A', strategy: 'file-checkpoint', options: shared },
    { name: 'shared-file-B', strategy: 'file-checkpoint', options: shared },
  ],
  faults: (k) => [
    killAt({ point: 'mid-batch', atProcessed: crashMessage(k), instances: ['shared-file-A'] }),
    killAt({ point: 'mid-batch', atProcessed: bCrash(k), instances: ['shared-file-B'] }),
  ],
  validate: (k, flag) =>
    k.partitions !== 1
      ? `two-services shows the shared file on one partition, got ${flag('partitions')}; use --partitions 1`
      : bSaved(k) > k.messages || aSaved(k) + bCrash(k) > k.messages
        ? `service B must crash before the end of ${flag('messages')}: raise --messages to at least ${Math.max(bSaved(k), aSaved(k) + bCrash(k))}`
        : undefined,
  predict: (k) => ({
    'service-A': { lost: 0, duplicated: 0 },
    'service-B': { lost: 0, duplicated: 0 },
    'shared-file-A': { lost: bSaved(k) - crashMessage(k), duplicated: 0 },
    'shared-file-B': { lost: k.messages - bCrash(k), duplicated: 0 },
  }),
  lesson,
});

function lesson(k: Knobs, strategies: StrategyReport[], lang: Lang): string[] {
  const by = (name: string) => strategies.find((s) => s.strategy === name);
  const c = crashMessage(k);
  const a = aSaved(k);
  const b = bSaved(k);
  if (lang === 'zh') {
    return [
      `service-A 和 service-B 在不同的消费者组里：每个组在 Kafka 里有自己的 offset，两个服务都各自处理了全部 ${k.messages} 条，互不影响（G1：丢失 ${by('service-A')?.lost ?? 0}/${by('service-B')?.lost ?? 0}，重复 ${by('service-A')?.duplicated ?? 0}/${by('service-B')?.duplicated ?? 0}）。`,
      `shared-file-A 与 shared-file-B 误用同一个 checkpoint.json：A 处理到第 ${c} 条崩溃（文件记录 ${a}）；B 启动时读到的是 A 的位置，从 ${a} 开始，崩溃前把文件写到了 ${b}；A 重启后读到的是 B 的位置，直接跳到 ${b}：A 丢失 ${by('shared-file-A')?.lost ?? 0} 条。B 重启时文件已被 A 写到末尾：B 丢失 ${by('shared-file-B')?.lost ?? 0} 条（包括开头它从没读过的 ${a} 条）。`,
      `每个服务必须有自己的位置：用各自的消费者组（offset 按组保存是 Kafka 的行为，任何客户端都一样），或者每个服务一个独立的检查点文件（文件是我们自己的代码，没有任何东西阻止两个服务共用它）。`,
    ];
  }
  return [
    `service-A and service-B are in different consumer groups: each group has its own offsets in Kafka, and each service processed all ${k.messages} messages, unaffected by the other (G1: lost ${by('service-A')?.lost ?? 0}/${by('service-B')?.lost ?? 0}, duplicated ${by('service-A')?.duplicated ?? 0}/${by('service-B')?.duplicated ?? 0}).`,
    `shared-file-A and shared-file-B share one checkpoint.json by mistake: A crashed after message ${c} (the file said ${a}); B started from A's position ${a} and had written ${b} before it crashed; A restarted from B's position and jumped to ${b}: A lost ${by('shared-file-A')?.lost ?? 0}. When B restarted, A had moved the file to the end: B lost ${by('shared-file-B')?.lost ?? 0} (including the first ${a} it never read).`,
    `Each service needs its own position: its own consumer group (offsets kept per group is Kafka's behaviour, the same with every client), or its own checkpoint file (the file is our code, and nothing stops two services from sharing it).`,
  ];
}
