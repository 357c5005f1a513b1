import type { Admin, ITopicConfig } from 'kafkajs';
import { waitFor } from '../../src/util/wait-for.ts';

/**
 * Creates topics and waits until every partition has a leader. Not kafkajs's `waitForLeaders`:
 * it retries only LEADER_NOT_AVAILABLE, and a KRaft broker can answer UNKNOWN_TOPIC_OR_PARTITION
 * ("This server does not host this topic-partition") for a moment after the creation — seen once
 * with four test files at a time. The harness waits the same way (src/kafka/run-resources.ts).
 */
export async function createTopicsAndWait(admin: Admin, topics: Array<ITopicConfig & { numPartitions: number }>): Promise<void> {
  await admin.createTopics({ topics, waitForLeaders: false });
  const names = topics.map((t) => t.topic);
  await waitFor(
    async () => {
      const found = (await admin.fetchTopicMetadata({ topics: names })).topics;
      return topics.every((t) => {
        const partitions = found.find((f) => f.name === t.topic)?.partitions ?? [];
        return partitions.length === t.numPartitions && partitions.every((p) => p.leader >= 0);
      });
    },
    { maxWaitMs: 30_000, intervalMs: 100, description: `the leaders of ${names.join(', ')}`, retryOn: (error) => (error as { retriable?: boolean }).retriable === true },
  );
}
