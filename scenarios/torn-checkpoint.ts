/**
 * torn-checkpoint — a crash in the middle of writing checkpoint.json (claims D1, D3).
 *
 * Setup: N numbered messages. Four file-checkpoint consumers:
 * - in-place + earliest: writes the file in place; an unreadable file on restart → start at the beginning;
 * - in-place + latest: the same, but an unreadable file → start at the end (skip to new messages);
 * - power-loss + earliest: in place, earliest, but the crash is a simulated power loss;
 * - atomic: writes a temp file, fsyncs it, renames it over the old one, fsyncs the folder.
 * Fault: the crash comes during the save at the end of batch crashBatch (after message
 * crashBatch·batch), after the file was opened for writing (truncated):
 * - SIGKILL (in-place rows, atomic): a killed process cannot split one small write() — the
 *   kernel applies it whole — so the worst it leaves is the truncated, empty file (killed
 *   between open and write);
 * - power loss (power-loss row): a write that was never fsynced can be lost in part; the row
 *   leaves half of the new bytes in the file (simulated: half written, then SIGKILL).
 *
 * Mechanism (predictions, any partitions: the save names every partition):
 * - in place, either way the file is not valid JSON on restart. earliest starts over: every
 *   message processed before the crash (crashBatch·batch) is processed again. latest starts at
 *   the end offsets: N − crashBatch·batch lost.
 * - atomic: only the temp file was hit; checkpoint.json still holds the previous batch's end
 *   (or does not exist yet when crashBatch is 1: earliest, the same count), so the restart
 *   repeats exactly one batch.
 * The file and its fallbacks are this lab's code; that a Kafka offset commit is applied whole
 * or not at all is Kafka's (the broker writes one record per partition).
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
    { name: 'power-loss+earliest', strategy: 'file-checkpoint', options: { write: 'in-place', fallback: 'earliest', tornBy: 'power-loss' } },
    { name: 'atomic', strategy: 'file-checkpoint', options: { write: 'atomic', fallback: 'earliest' } },
  ],
  // The save at the end of batch crashBatch is torn.
  faults: (k) => [killAt({ point: 'during-save', atProcessed: tornAt(k) })],
  validate: (k, flag) =>
    tornAt(k) > k.messages ? `the torn save comes after message ${tornAt(k)} (${flag('crashBatch')} × ${flag('batch')}), past ${flag('messages')}: lower --crash-batch` : undefined,
  predict: (k) => ({
    'in-place+earliest': { lost: 0, duplicated: tornAt(k) },
    'in-place+latest': { lost: k.messages - tornAt(k), duplicated: 0 },
    'power-loss+earliest': { lost: 0, duplicated: tornAt(k) },
    atomic: { lost: 0, duplicated: k.batch },
  }),
  lesson,
});

function lesson(k: Knobs, strategies: StrategyReport[], lang: Lang): string[] {
  const at = tornAt(k);
  const by = (name: string) => strategies.find((s) => s.strategy === name);
  const earliest = by('in-place+earliest');
  const latest = by('in-place+latest');
  const power = by('power-loss+earliest');
  const atomic = by('atomic');
  if (lang === 'zh') {
    return [
      `每个消费者在处理完第 ${at} 条消息（第 ${k.crashBatch} 批末尾）后写检查点时崩溃：文件已经以写方式打开（被截断）。`,
      `SIGKILL（in-place 两行、atomic）：一次小的 write() 要么整体完成要么没发生，被杀的进程最坏只会留下一个被截断的空文件。原地写时空文件不是合法的 JSON：回退到最早位置，前 ${at} 条全部重复（重复 ${earliest?.duplicated ?? 0} 条）；回退到最新位置，直接跳到末尾，之后的 ${latest?.lost ?? 0} 条全部丢失。`,
      `断电（power-loss 行，模拟）：没有 fsync 的写入在断电后可能只剩一部分，这里留下一半的新内容：同样不是合法的 JSON，同样从头重来（重复 ${power?.duplicated ?? 0} 条）。只写一半是断电造成的，不是 SIGKILL。`,
      `原子写（临时文件、fsync、rename、目录 fsync）：受影响的只是临时文件，checkpoint.json 仍是上一批的末尾，重启只重复一批：重复 ${atomic?.duplicated ?? 0} 条，丢失 ${atomic?.lost ?? 0} 条。`,
      `这就是 D1、D3：检查点本身必须能在崩溃中保持一致，否则出错时要么大量重复、要么大量丢失。文件和回退策略是我们自己的代码；Kafka 的 offset 提交由 broker 写成记录（每个分区一条），每条要么整体写入要么没有，不会“写一半”（这是 Kafka 的行为）。`,
    ];
  }
  return [
    `Each consumer crashed while writing its checkpoint after message ${at} (end of batch ${k.crashBatch}), after the file had been opened for writing (truncated).`,
    `SIGKILL (the in-place rows and atomic): one small write() happens whole or not at all, so the worst a killed process leaves is the truncated, empty file. In place, an empty file is not valid JSON: falling back to earliest starts over and repeats all ${at} messages (${earliest?.duplicated ?? 0} duplicated); falling back to latest jumps to the end and never processes the remaining ${latest?.lost ?? 0} (lost).`,
    `Power loss (the power-loss row, simulated): a write never fsynced can survive in part; the row leaves half of the new bytes. Not valid JSON either, and the same start over (${power?.duplicated ?? 0} duplicated). A half-written file comes from a power loss, not from a SIGKILL.`,
    `Atomic (temp file, fsync, rename, fsync of the folder): only the temp file was hit, checkpoint.json still held the end of the previous batch, and the restart repeated one batch: ${atomic?.duplicated ?? 0} duplicated, ${atomic?.lost ?? 0} lost.`,
    `That is D1 and D3: the checkpoint itself must survive a crash consistently, or an error turns into mass duplicates or mass loss. The file and its fallbacks are our code; a Kafka offset commit is written by the broker as records (one per partition), each whole or not at all (Kafka's behaviour).`,
  ];
}
