import type { Kafka } from 'kafkajs';

export interface PartitionOffset {
  partition: number;
  offset: number;
}

/**
 * Commits offsets for a group that has no members, as `kafka-consumer-groups --reset-offsets
 * --execute` does. kafkajs has no admin call that commits directly (the Java AdminClient's
 * alterConsumerGroupOffsets); its admin.setOffsets joins the group with a consumer that
 * seeks (while auto-commit is on, kafkajs commits a seek as soon as it applies it, before its
 * next fetch), pauses everything and stops after that fetch. This does the same with a 100 ms
 * fetch wait: admin.setOffsets' consumer keeps kafkajs's default of 5 s, and a consumer whose
 * partitions are all paused sleeps that long before the fetch ends (measured: every reset
 * took 5.03 s on the lesson broker).
 */
export async function setGroupOffsets(kafka: Kafka, groupId: string, topic: string, partitions: readonly PartitionOffset[]): Promise<void> {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const { state } = await consumer.describeGroup();
    // Kafka would refuse the commits of a member that is not in the group's generation anyway; say why.
    if (state !== 'Empty' && state !== 'Dead') throw new Error(`group ${groupId} still has members (state ${state})`);
    await new Promise<void>((resolve, reject) => {
      consumer.on(consumer.events.FETCH, () => void consumer.stop().then(resolve, reject));
      consumer.run({ eachBatchAutoResolve: false, eachBatch: async () => {} }).catch(reject);
      consumer.pause([{ topic }]);
      for (const { partition, offset } of partitions) consumer.seek({ topic, partition, offset: String(offset) });
    });
  } finally {
    await consumer.disconnect();
  }
}
