/**
 * torn-checkpoint — SIGKILL in the middle of writing checkpoint.json (claims D1, D3).
 *
 * Setup: N numbered messages. Three file-checkpoint consumers:
 * - in-place + earliest: writes the file in place; an unreadable file on restart → start at the beginning;
 * - in-place + latest: the same, but an unreadable file → start at the end (skip to new messages);
 * - atomic: writes a temp file, fsyncs it, renames it over the old one, fsyncs the folder.
 * Fault: each is SIGKILLed halfway through writing the checkpoint at the end of batch
 * crashBatch (after message crashBatch·batch): the write is torn after half its bytes.
 *
 * Mechanism (predictions):
 * - in place, the file was truncated and half rewritten: on restart it is not valid JSON.
 *   With the earliest fallback the consumer starts over: every message processed before the
 *   crash (crashBatch·batch of them) is processed again. With the latest fallback it starts
 *   at the end: every message after the crash point is skipped (N − crashBatch·batch lost).
 * - atomic: only the temp file was torn; checkpoint.json still holds the end of the previous
 *   batch, so the restart repeats exactly one batch (batch duplicates), as a crash before the
 *   save would.
 */
import type { StrategyReport } from '../src/checker/check.ts';
import type { Lang } from '../src/report/lang.ts';
import { killAt } from '../src/faults/kill-at.ts';
import { defineScenario, type Knobs as AllKnobs } from '../src/runner/scenario.ts';

type Knobs = AllKnobs<'crashBatch'>;

const tornAt = (k: Knobs) => k.crashBatch * k.batch;

export default defineScenario({
  name: 'torn-checkpoint',
  summary: {
    en: 'SIGKILL while checkpoint.json is being written: in-place writes tear the file, atomic writes survive',
    zh: '写 checkpoint.json 时被 SIGKILL：原地写会写坏文件，原子写能幸存',
  },
  knobs: { messages: { default: 1000 }, partitions: { default: 1 }, batch: { default: 100 }, crashBatch: { default: 3, meaning: { en: 'the save at the end of batch C is torn', zh: '第 C 批末尾的保存被撕裂' } } },
  instances: [
    { name: 'in-place+earliest', strategy: 'file-checkpoint', options: { write: 'in-place', fallback: 'earliest' } },
    { name: 'in-place+latest', strategy: 'file-checkpoint', options: { write: 'in-place', fallback: 'latest' } },
    { name: 'atomic', strategy: 'file-checkpoint', options: { write: 'atomic', fallback: 'earliest' } },
  ],
  // The save at the end of batch crashBatch is torn.
  faults: (k) => [killAt({ point: 'during-save', atProcessed: tornAt(k) })],
  predict: (k) => ({
    'in-place+earliest': { lost: 0, duplicated: tornAt(k) },
    'in-place+latest': { lost: k.messages - tornAt(k), duplicated: 0 },
    atomic: { lost: 0, duplicated: k.batch },
  }),
  lesson,
});

function lesson(k: Knobs, strategies: StrategyReport[], lang: Lang): string[] {
  const at = tornAt(k);
  const by = (name: string) => strategies.find((s) => s.strategy === name);
  const earliest = by('in-place+earliest');
  const latest = by('in-place+latest');
  const atomic = by('atomic');
  if (lang === 'zh') {
    return [
      `每个消费者在处理完第 ${at} 条消息（第 ${k.crashBatch} 批末尾）后写检查点时被 SIGKILL：文件只写了一半。`,
      `原地写：文件先被截断再写了一半，重启时不是合法的 JSON。回退到最早位置：从头再来，前 ${at} 条全部重复（重复 ${earliest?.duplicated ?? 0} 条）；回退到最新位置：直接跳到末尾，之后的 ${latest?.lost ?? 0} 条全部丢失。`,
      `原子写（临时文件、fsync、rename、目录 fsync）：被写坏的只是临时文件，checkpoint.json 仍是上一批的末尾，重启只重复一批：重复 ${atomic?.duplicated ?? 0} 条，丢失 ${atomic?.lost ?? 0} 条。`,
      `这就是 D1、D3：检查点本身必须能在崩溃中保持一致，否则出错时要么大量重复、要么大量丢失；Kafka 的 offset 提交由 broker 原子地保存，不存在“写一半”的问题。`,
    ];
  }
  return [
    `Each consumer was SIGKILLed while writing its checkpoint after message ${at} (end of batch ${k.crashBatch}): the write stopped after half its bytes.`,
    `In place, the file was truncated and half rewritten: on restart it is not valid JSON. Falling back to earliest starts over and repeats all ${at} messages (${earliest?.duplicated ?? 0} duplicated); falling back to latest jumps to the end and never processes the remaining ${latest?.lost ?? 0} (lost).`,
    `Atomic (temp file, fsync, rename, fsync of the folder): only the temp file was torn, checkpoint.json still held the end of the previous batch, and the restart repeated one batch: ${atomic?.duplicated ?? 0} duplicated, ${atomic?.lost ?? 0} lost.`,
    `That is D1 and D3: the checkpoint itself must survive a crash consistently, or an error turns into mass duplicates or mass loss. A Kafka offset commit is stored atomically by the broker; it cannot be half written.`,
  ];
}
