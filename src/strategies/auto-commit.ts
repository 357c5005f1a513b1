import type { Strategy, StrategyInfo, StrategyRuntime } from './strategy.ts';

/**
 * kafkajs `autoCommit: true`, processing awaited inside eachMessage.
 * kafkajs marks a message's offset as resolved only after eachMessage returns, and commits
 * resolved offsets at the end of every fetched batch, every `autoCommitInterval` ms, and
 * before a rebalance. So it can repeat messages after a crash, but never skips one.
 */
export const autoCommitInfo: StrategyInfo = {
  name: 'auto-commit',
  claims: 'at-least-once',
  summary: {
    en: 'kafkajs autoCommit (interval 5000 ms); commits offsets of messages whose handler returned',
    zh: 'kafkajs 自动提交（间隔 5000 毫秒）；只提交处理函数已返回的消息的 offset',
  },
};

/** The Java client's default auto.commit.interval.ms, made explicit. */
export const autoCommitIntervalMs = 5000;

export function createAutoCommit(_runtime: StrategyRuntime): Strategy {
  return {
    ...autoCommitInfo,
    autoCommit: { intervalMs: autoCommitIntervalMs },
    savedVia: 'auto-commit',
    readResumePositions: () => undefined,
  };
}
