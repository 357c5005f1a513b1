import type { Admin } from 'kafkajs';
import { createKafka } from '../kafka/client.ts';
import type { ReplicaAssignment } from './broker.ts';

/**
 * What a cluster's metadata says about leaders and coordinators, asked afresh each time (a
 * new admin client, so no cached metadata hides a failover).
 */

export const offsetsTopic = '__consumer_offsets';

/** Java's String.hashCode (UTF-16 code units, 32-bit overflow). */
export function javaStringHash(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(31, hash) + text.charCodeAt(i)) | 0;
  return hash;
}

/**
 * The __consumer_offsets partition that holds a group, as the broker computes it
 * (Utils.abs(groupId.hashCode) % partitions, where abs(Integer.MIN_VALUE) is 0); the leader of
 * that partition is the group's coordinator.
 */
export function offsetsPartitionFor(groupId: string, offsetsPartitions: number): number {
  const hash = javaStringHash(groupId);
  const abs = hash === -2147483648 ? 0 : Math.abs(hash);
  return abs % offsetsPartitions;
}

interface PartitionInfo {
  partitionId: number;
  leader: number;
  replicas: number[];
  isr: number[];
}

/** Runs `work` with a fresh admin client on these addresses (any live node answers). */
export async function withAdmin<T>(brokers: string[], work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = createKafka(brokers, 'kafka-offset-lab-cluster', { connectionTimeout: 1000, retries: 3 }).admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

export async function partitionsOf(brokers: string[], topic: string): Promise<PartitionInfo[]> {
  return withAdmin(brokers, async (admin) => {
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    return (topics[0]?.partitions ?? []) as PartitionInfo[];
  });
}

/** A leader of -1 (none) is undefined. */
export async function leaderOf(brokers: string[], topic: string, partition: number): Promise<number | undefined> {
  const leader = (await partitionsOf(brokers, topic)).find((p) => p.partitionId === partition)?.leader;
  return leader === undefined || leader < 0 ? undefined : leader;
}

export async function coordinatorOf(brokers: string[], groupId: string): Promise<number | undefined> {
  const partitions = await partitionsOf(brokers, offsetsTopic);
  if (partitions.length === 0) return undefined;
  return leaderOf(brokers, offsetsTopic, offsetsPartitionFor(groupId, partitions.length));
}

/**
 * Every partition on every node, first led by `leader`: on this cluster the coordinator of
 * every group (one __consumer_offsets partition), so one SIGKILL takes out both roles.
 */
export function replicasLedBy(leader: number, nodeIds: readonly number[], partitions: number): ReplicaAssignment[] {
  const others = nodeIds.filter((id) => id !== leader);
  return Array.from({ length: partitions }, (_, partition) => ({ partition, replicas: [leader, ...others] }));
}
