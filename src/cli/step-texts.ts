import type { HistoryEvent, Positions } from '../history/events.ts';
import type { Lang } from '../report/lang.ts';

/** What step mode says at each stop: what just happened, and what to watch next (English / Chinese). */

const at = (positions: Positions, lang: Lang) =>
  Object.entries(positions)
    .map(([p, offset]) => (lang === 'zh' ? `分区 ${p} 的偏移量 ${offset}` : `partition ${p} at offset ${offset}`))
    .join(lang === 'zh' ? '，' : ', ');

export const phaseIntro: Record<Lang, Record<string, string>> = {
  en: {
    'broker start': 'Next: the broker. A real Kafka broker starts (or the lesson broker is used). Watch: its address and version on the report.',
    produce: 'Next: produce. Numbered messages are written to the run’s topic; the broker acknowledges each at an offset. Watch: message n lands at offset n−1 (one partition).',
    'consume+crash': 'Next: consume and crash. Each strategy runs in its own process and consumer group on the same data; the faults strike at their exact message. Watch: the per-consumer counts on the progress line, and who is killed where.',
    fault: 'Next: the fault between crash and restart. The world changes while the consumers are down (a file, the records). Watch: what it removes or corrupts.',
    'restart+drain': 'Next: restart and drain. The crashed consumers start again and read to the end. Watch: the countdown (Kafka waits for the killed member’s session to expire before it hands out the partitions) and where each one resumes.',
    check: 'Next: the check. The checker reads what survived (sinks, stores, the broker) and counts, message by message, what was lost and what was processed twice. Watch: the table, the timeline and Kafka’s own view.',
  },
  zh: {
    'broker start': '下一步：broker。一个真实的 Kafka broker 启动（或使用课堂 broker）。注意：报告里它的地址和版本。',
    produce: '下一步：生产。带编号的消息写入本次运行的 topic，broker 为每条消息确认一个偏移量。注意：第 n 条消息落在偏移量 n−1（单分区时）。',
    'consume+crash': '下一步：消费并崩溃。每个策略在自己的进程和消费者组里读同样的数据；故障在精确的那条消息处发生。注意：进度行上每个消费者的计数，以及谁在哪里被杀死。',
    fault: '下一步：崩溃与重启之间的故障。消费者停着的时候世界发生了变化（一个文件、一些记录）。注意：它删除或破坏了什么。',
    'restart+drain': '下一步：重启并读完。崩溃的消费者重新启动并读到末尾。注意：倒计时（Kafka 要等被杀成员的会话过期才重新分配分区），以及每个消费者从哪里恢复。',
    check: '下一步：检查。检查器读取幸存下来的东西（输出、存储、broker），逐条统计丢失了什么、什么被处理了两次。注意：表格、时间线和 Kafka 自己的视角。',
  },
};

/** The text of a significant event; undefined for events that are not a stop. */
export function describeEvent(event: HistoryEvent, lang: Lang): string | undefined {
  const zh = lang === 'zh';
  switch (event.kind) {
    case 'crash':
      return zh
        ? `✕ ${event.strategy}（第 ${event.incarnation} 个进程）在 ${event.point} 处被 SIGKILL，这个进程已处理 ${event.processedInIncarnation} 条消息。内存里的一切都没了，只有它保存过的还在。接下来注意：重启后从它最后保存的位置恢复，而不是从第 ${event.processedInIncarnation} 条之后。`
        : `✕ ${event.strategy} (process ${event.incarnation}) was SIGKILLed at ${event.point}, after ${event.processedInIncarnation} messages of this process. Its memory is gone; only what it saved survives. Watch next: its restart resumes at its last saved position, not after message ${event.processedInIncarnation}.`;
    case 'exited':
      if (event.code === 0) return undefined;
      return zh
        ? `✕ ${event.strategy}（第 ${event.incarnation} 个进程）结束了（${event.signal ?? `退出码 ${event.code}`}），没有离开消费者组：组协调者要等它的会话超时才知道它死了。`
        : `✕ ${event.strategy} (process ${event.incarnation}) ended (${event.signal ?? `exit code ${event.code}`}) without leaving its group: the group coordinator notices only when its session times out.`;
    case 'fault':
      return zh ? `⚡ 故障：${event.description}。接下来注意：每个策略重启后如何应对。` : `⚡ Fault: ${event.description}. Watch next: how each strategy copes with it.`;
    case 'joined':
      return zh
        ? `▸ ${event.strategy}（第 ${event.incarnation} 个进程）加入了组，从${at(event.resumeFrom, lang)} 开始读。从这里起的消息它都会再读一遍：之前已处理但未保存的会重复，已保存却从未处理的就丢失了。`
        : `▸ ${event.strategy} (process ${event.incarnation}) joined its group and resumes at ${at(event.resumeFrom, lang)}. It reads everything from there again: what was processed but not saved before this point is processed twice; what was saved but never processed is lost.`;
    default:
      return undefined;
  }
}

export const promptText: Record<Lang, string> = {
  en: '[Enter] to go on',
  zh: '按 [Enter] 继续',
};

export const noTerminal = {
  message: '--step waits for Enter at every stop: it needs a terminal on stdin.',
  hint: 'Run it in a terminal, with stdin neither piped nor redirected (or leave out --step).',
};
