import type { Kafka } from 'kafkajs';
import { KafkajsTransactionalProducer } from '../../src/consumer/kafkajs-transactions.ts';
import type { TransactionalProducerSettings } from '../../src/consumer/transactions.ts';
import type { Positions } from '../../src/history/events.ts';
import { fakeConsumer } from '../unit/strategies/fake-runtime.ts';

/**
 * A consumer port for driving a strategy without the consumer loop: no fetching (the test
 * hands deliveries to apply itself), but the group's committed offsets come from the broker,
 * seeks are recorded, and its transactions are kafkajs'.
 */
export function brokerBackedConsumer(kafka: Kafka, groupId: string, topic: string) {
  const seeks: Array<{ partition: number; offset: number }> = [];
  return {
    ...fakeConsumer(),
    seeks,
    seek: (partition: number, offset: number) => void seeks.push({ partition, offset }),
    transactionalProducer: (settings: TransactionalProducerSettings) => new KafkajsTransactionalProducer(kafka, groupId, settings),
    committedOffsets: async (): Promise<Positions> => {
      const admin = kafka.admin();
      await admin.connect();
      try {
        const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
        const positions: Positions = {};
        for (const { partition, offset } of offsets?.partitions ?? []) if (Number(offset) >= 0) positions[partition] = Number(offset);
        return positions;
      } finally {
        await admin.disconnect();
      }
    },
  };
}
