import type { Observed } from '../checker/check.ts';
import type { Guarantee } from '../history/events.ts';
import type { Lang } from './lang.ts';

/** Every fixed text the report shows, in English and Chinese. */
export const labels = {
  en: {
    strategy: 'strategy',
    claims: 'claims',
    produced: 'produced',
    processed: 'processed',
    lost: 'lost',
    duplicated: 'duplicated',
    restarts: 'restarts',
    observed: 'observed',
    predicted: 'predicted (lost/dup)',
    claimHeld: 'claim held',
    claimBroken: 'claim broken',
    unknown: 'not trustworthy',
    timings: 'timings',
    broker: 'broker',
    results: 'results',
    why: 'why',
    crash: 'crash',
    fault: 'fault',
    retention: 'by retention',
    differs: 'differs from the prediction',
    rebalance: 'unplanned rebalance(s): a live consumer was removed from its group and joined again (its heartbeats stopped for a whole session, as on a machine too busy); a timing effect of this run, not of the strategy: the counts may not repeat',
    notSupported: 'not run: not supported on',
  },
  zh: {
    strategy: '策略',
    claims: '声称的保证',
    produced: '生产',
    processed: '处理次数',
    lost: '丢失',
    duplicated: '重复',
    restarts: '重启',
    observed: '实际观察',
    predicted: '预测（丢失/重复）',
    claimHeld: '保证成立',
    claimBroken: '保证被打破',
    unknown: '结果不可信',
    timings: '各阶段耗时',
    broker: 'Broker',
    results: '结果目录',
    why: '原因',
    crash: '崩溃点',
    fault: '注入的故障',
    retention: '被保留策略删除',
    differs: '与预测不符',
    rebalance: '运行中出现了计划外的再均衡：一个仍在运行的消费者被移出消费者组后重新加入（它在整个会话超时内没有发出心跳，例如机器过忙）；这是本次运行的时序效应，不是策略造成的，计数可能无法复现',
    notSupported: '未运行：不支持的客户端',
  },
} satisfies Record<Lang, Record<string, string>>;

const guarantees: Record<Lang, Record<Guarantee | Observed, string>> = {
  en: {
    'at-most-once': 'at-most-once',
    'at-least-once': 'at-least-once',
    'effectively-once': 'effectively-once',
    'exactly-once': 'exactly once (this run)',
    neither: 'neither (lost and duplicated)',
    'lost-to-retention': 'no loss of its own; some deleted before read',
  },
  zh: {
    'at-most-once': '至多一次',
    'at-least-once': '至少一次',
    'effectively-once': '精确一次效果',
    'exactly-once': '恰好一次（本次）',
    neither: '都不是（既丢又重）',
    'lost-to-retention': '自身未丢；部分消息在读取前被删除',
  },
};

export const guaranteeLabel = (lang: Lang, g: Guarantee | Observed) => guarantees[lang][g];

export const phaseLabels: Record<Lang, Record<string, string>> = {
  en: {},
  zh: { 'broker start': '启动 broker', produce: '生产', 'consume+crash': '消费+崩溃', fault: '注入故障', 'restart+drain': '重启+读完', check: '检查' },
};
