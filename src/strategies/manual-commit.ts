import type { Positions } from '../history/events.ts';
import { type ManualCommitOptions, type StrategyInfo, type StrategyModule, savesAfterEachBatch } from './strategy.ts';

/**
 * `autoCommit: false`; after each batch of processed messages, commit offset+1 of the last
 * processed message per partition (Kafka's committed offset is the next message to read).
 * Variants: commit before processing the batch (at-most-once); commit the processed offset
 * instead of offset+1 (the off-by-one of claim C3).
 */
function describe(options: ManualCommitOptions = {}): StrategyInfo {
  if (options.commitOrder === 'before-process') {
    return {
      name: 'manual-commit',
      claims: 'at-most-once',
      summary: { en: 'commits the end of each batch to Kafka before processing it', zh: '在处理每批消息之前先把这批的末尾提交给 Kafka' },
    };
  }
  if (options.commitOffset === 'processed') {
    return {
      name: 'manual-commit',
      claims: 'at-least-once',
      summary: { en: 'commits the last processed offset (not offset+1) after each batch', zh: '每批处理完后提交最后处理的 offset（而不是 offset+1）' },
    };
  }
  return {
    name: 'manual-commit',
    claims: 'at-least-once',
    summary: { en: 'commits offset+1 to Kafka after each processed batch', zh: '每处理完一批消息后向 Kafka 提交 offset+1' },
  };
}

export const manualCommit: StrategyModule<ManualCommitOptions> = {
  describe,
  create: ({ consumer }, options = {}) => {
    const offByOne = options.commitOffset === 'processed';
    return {
      ...savesAfterEachBatch('kafka-commit'),
      saveOrder: options.commitOrder ?? 'after-process',
      resumePlan: () => ({ from: 'kafka' }),
      save: async (positions: Positions, crashDuringSave?: () => never) => {
        // A Kafka commit cannot be torn: the broker applies it whole or not at all. Dying
        // "during" it means dying before the request is sent.
        crashDuringSave?.();
        const toCommit: Positions = {};
        for (const [partition, next] of Object.entries(positions)) toCommit[Number(partition)] = offByOne ? next - 1 : next;
        await consumer.commit(toCommit);
      },
    };
  },
};
