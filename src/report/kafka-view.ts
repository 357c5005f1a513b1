import type { GroupView } from '../kafka/group-view.ts';
import type { Positions } from '../history/events.ts';
import type { SavedVia } from '../strategies/strategy.ts';
import type { RunResult } from '../runner/run-result.ts';
import type { Lang } from './lang.ts';

/**
 * Kafka's own view of each group after the run (committed offsets and lag, as
 * kafka-consumer-groups --describe shows them) next to what the strategy believes, e.g.
 * "Kafka: committed 200 of 1000, lag 800" or "Kafka: no commit (the file says 1000)".
 */

const sum = (positions: Positions) => Object.values(positions).reduce((a, b) => a + b, 0);

const believedNoun: Record<Lang, Record<SavedVia, string>> = {
  en: {
    'kafka-commit': 'its last commit says',
    'auto-commit': 'its last auto-commit says',
    'checkpoint-file': 'the file says',
    database: 'the database says',
    transaction: 'its last transaction says',
    snapshot: 'the snapshot says',
  },
  zh: {
    'kafka-commit': '它最后一次提交记录',
    'auto-commit': '它最后一次自动提交记录',
    'checkpoint-file': '文件记录',
    database: '数据库记录',
    transaction: '它最后一个事务记录',
    snapshot: '快照记录',
  },
};

export const kafkaViewTitle: Record<Lang, string> = {
  en: "Kafka's own view (committed offsets and lag read from the broker once the crashed processes had died, and after the run, before any clean-up)",
  zh: 'Kafka 自己的视角（在崩溃的进程死掉之后、以及运行结束后清理之前，从 broker 读取的已提交偏移量和积压 lag）',
};

const moments: Record<Lang, { crash: string; end: string }> = {
  en: { crash: 'at the crash', end: 'after the run' },
  zh: { crash: '崩溃时', end: '运行结束后' },
};

/** Per group: its row, and what Kafka reported at the crash (when there was one) and after the run. */
export function kafkaViewLines(result: RunResult, lang: Lang): Array<{ row: string; group: string; lines: string[] }> {
  const sep = lang === 'zh' ? '：' : ': ';
  return (result.kafka ?? []).map((view) => {
    const atCrash = result.kafkaAtCrash?.find((v) => v.group === view.group);
    const lines = atCrash
      ? [`${moments[lang].crash}${sep}${describeGroupView(atCrash, lang)}`, `${moments[lang].end}${sep}${describeGroupView(view, lang)}`]
      : [describeGroupView(view, lang)];
    return { row: view.row, group: view.group, lines };
  });
}

/** One group's line without its row name, e.g. "Kafka: committed 200 of 1000, lag 800 · the file says 1000". */
export function describeGroupView(view: GroupView, lang: Lang): string {
  const believed = view.believed ? `${believedNoun[lang][view.believed.via]} ${sum(view.believed.positions)}` : undefined;
  const partitions = Object.keys(view.end).map(Number);
  const without = partitions.filter((p) => view.committed[p] === undefined);
  if (view.lag === null) {
    const none = lang === 'zh' ? 'Kafka：没有提交' : 'Kafka: no commit';
    return believed ? `${none} (${believed})` : none;
  }
  const committed =
    lang === 'zh'
      ? `Kafka：已提交 ${sum(view.committed)} / ${sum(view.end)}，积压 ${view.lag}`
      : `Kafka: committed ${sum(view.committed)} of ${sum(view.end)}, lag ${view.lag}`;
  const missing = without.length === 0 ? '' : lang === 'zh' ? `（分区 ${without.join(', ')} 没有提交）` : ` (no commit on partition ${without.join(', ')})`;
  return `${committed}${missing}${believed ? ` · ${believed}` : ''}`;
}
