import type { AutoCommitOptions, StrategyInfo, StrategyModule } from './strategy.ts';

/**
 * kafkajs `autoCommit: true`. kafkajs marks a message's offset as resolved only after
 * eachMessage returns, and commits resolved offsets at the end of every fetched batch, every
 * `autoCommitInterval` ms, and before a rebalance. With the work awaited inside eachMessage it
 * can repeat messages after a crash but never skips one. Handed off to a queue, eachMessage
 * returns at once, the offsets are committed before the work is done, and a crash loses
 * whatever was still queued.
 */
function describe(options: AutoCommitOptions = {}): StrategyInfo {
  const handedOff = options.processing === 'handed-off';
  return {
    name: 'auto-commit',
    claims: 'at-least-once',
    summary: options.timing === 'client-default'
      ? { en: "the client's auto-commit with its own default timing", zh: '客户端自带默认时机的自动提交' }
      : handedOff
      ? { en: 'kafkajs autoCommit; eachMessage queues the work and returns at once', zh: 'kafkajs 自动提交；eachMessage 把工作放进队列后立即返回' }
      : {
          en: `kafkajs autoCommit (interval ${autoCommitIntervalMs} ms); commits offsets of messages whose handler returned`,
          zh: `kafkajs 自动提交（间隔 ${autoCommitIntervalMs} 毫秒）；只提交处理函数已返回的消息的 offset`,
        },
  };
}

/** The Java client's default auto.commit.interval.ms, made explicit. */
export const autoCommitIntervalMs = 5000;

export const autoCommit: StrategyModule<AutoCommitOptions> = {
  describe,
  // The client saves by itself: no save(); its commits reach the history through the commit event.
  create: (_runtime, options = {}) => ({
    autoCommit: options.timing === 'client-default' ? {} : { intervalMs: autoCommitIntervalMs },
    processing: options.processing ?? 'awaited',
    saveOrder: 'after-process',
    savedVia: 'auto-commit',
    resumePlan: () => ({ from: 'kafka' }),
  }),
};
