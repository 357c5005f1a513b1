import type { Admin, ITopicConfig } from 'kafkajs';
import { waitForLeaders } from '../../src/kafka/topic.ts';

/**
 * Creates topics and waits until every partition has a leader, as the harness does
 * (src/kafka/topic.ts waitForLeaders), not with kafkajs's `waitForLeaders`: with four test files
 * at a time one test's new topic was still UNKNOWN_TOPIC_OR_PARTITION to it, and kafkajs gave up.
 */
export async function createTopicsAndWait(admin: Admin, topics: Array<ITopicConfig & { numPartitions: number }>): Promise<void> {
  await admin.createTopics({ topics, waitForLeaders: false });
  await waitForLeaders(admin, topics.map((t) => ({ topic: t.topic, partitions: t.numPartitions })));
}
