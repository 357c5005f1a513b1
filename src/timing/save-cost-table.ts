import Table from 'cli-table3';
import type { Lang } from '../report/lang.ts';
import { saveModes, type SaveCostResult } from './save-cost.ts';
import type { Text } from '../strategies/strategy.ts';

/**
 * Why a Kafka transaction per message is slow, and whose cost the row measures: Kafka's (the
 * coordinator's marker writes), with the Java client's retry wait (src/kafka/transactional-retry.ts).
 */
export const kafkaTransactionNote: Text = {
  en:
    "  kafka-transaction: every transaction is at least five requests (AddPartitionsToTxn, Produce, AddOffsetsToTxn, TxnOffsetCommit, EndTxn), and EndTxn returns before the broker has written the commit markers: the next transaction, begun at once, is answered CONCURRENT_TRANSACTIONS until they are written. The lab's kafkajs producer retries that after 20 ms, as the Java client does; with the 100 ms of the lab's other kafkajs clients (kafkajs' default: 300 ms) this row measured that wait, not Kafka.",
  zh:
    '  kafka-transaction：每个事务至少五个请求（AddPartitionsToTxn、Produce、AddOffsetsToTxn、TxnOffsetCommit、EndTxn），而且 EndTxn 在 broker 写完提交标记之前就返回：紧接着开始的下一个事务会收到 CONCURRENT_TRANSACTIONS，直到标记写完。本实验的 kafkajs 生产者像 Java 客户端一样 20 ms 后重试；若用本实验其他 kafkajs 客户端的 100 ms（kafkajs 默认 300 ms），这一行测到的就是这段等待，而不是 Kafka。',
};

/** The save-cost table: one row per save mode, one column per interval (median messages/second). */
export function renderSaveCost(result: SaveCostResult, lang: Lang): string {
  const zh = lang === 'zh';
  const head = [zh ? '保存方式' : 'save mode', ...result.intervals.map((n) => (zh ? `每 ${n} 条` : `every ${n}`))];
  const table = new Table({ head, style: { head: [], border: [] } });
  const counts = result.intervals.map((n) => `${n}→${result.rows.find((r) => r.interval === n)?.messages ?? '?'}`).join(', ');
  const modes = [...new Set(result.rows.map((r) => r.mode))];
  for (const mode of modes) {
    table.push([mode, ...result.intervals.map((n) => String(result.rows.find((r) => r.mode === mode && r.interval === n)?.median ?? '—'))]);
  }
  const lines = [
    zh
      ? `save-cost：每秒处理的消息数（${result.runs} 次运行的中位数；每个间隔读 ${counts} 条消息）。这是计时结果：取决于本机的磁盘、CPU 和负载，每次运行都会不同。`
      : `save-cost: messages per second (median of ${result.runs} runs; messages read per interval: ${counts}). These are timings: they depend on this machine's disk, CPU and load and change from run to run.`,
    table.toString(),
    ...modes.map((mode) => `  ${mode}: ${saveModes.find((m) => m.name === mode)?.what[lang] ?? ''}`),
    ...(modes.includes('kafka-transaction') ? [kafkaTransactionNote[lang]] : []),
  ];
  const first = Math.min(...result.intervals);
  const last = Math.max(...result.intervals);
  if (first !== last) {
    for (const mode of modes) {
      const slow = result.rows.find((r) => r.mode === mode && r.interval === first)?.median ?? 0;
      const fast = result.rows.find((r) => r.mode === mode && r.interval === last)?.median ?? 0;
      if (slow > 0) {
        lines.push(
          zh
            ? `  ${mode}：每 ${last} 条保存一次比每 ${first} 条快 ${(fast / slow).toFixed(1)} 倍`
            : `  ${mode}: saving every ${last} is ${(fast / slow).toFixed(1)}× the throughput of saving every ${first}`,
        );
      }
    }
  }
  return lines.join('\n');
}
