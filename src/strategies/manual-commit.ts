import type { Positions } from '../history/events.ts';
import type { Strategy, StrategyInfo, StrategyRuntime } from './strategy.ts';

/**
 * `autoCommit: false`; after each batch of processed messages, commit offset+1 of the last
 * processed message per partition (Kafka's committed offset is the next message to read).
 */
export const manualCommitInfo: StrategyInfo = {
  name: 'manual-commit',
  claims: 'at-least-once',
  summary: {
    en: 'commits offset+1 to Kafka after each processed batch',
    zh: '每处理完一批消息后向 Kafka 提交 offset+1',
  },
};

export function createManualCommit({ consumer, topic }: StrategyRuntime): Strategy {
  return {
    ...manualCommitInfo,
    autoCommit: false,
    savedVia: 'kafka-commit',
    readResumePositions: () => undefined,
    save: async (positions: Positions, crashDuringSave?: () => never) => {
      // A Kafka commit cannot be torn: the broker applies it whole or not at all. Dying
      // "during" it means dying before the request is sent.
      crashDuringSave?.();
      await consumer.commitOffsets(
        Object.entries(positions).map(([partition, offset]) => ({ topic, partition: Number(partition), offset: String(offset) })),
      );
    },
  };
}
