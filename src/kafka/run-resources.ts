import type { Admin, Kafka } from 'kafkajs';
import type { ReplicaAssignment } from '../broker/broker.ts';
import { UserError } from '../util/errors.ts';
import { sleep, waitFor } from '../util/wait-for.ts';
import { setGroupOffsets, type PartitionOffset } from './set-group-offsets.ts';
import { waitForLeaders } from './topic.ts';

/** Every topic and group the harness creates starts with this prefix, then the run id. */
export const resourcePrefix = 'kol-';

/**
 * The topics and groups one run created: the only things it may truncate or delete.
 * On a shared cluster this is what keeps the harness away from everybody else's data.
 */
export class RunResources {
  private readonly kafka: Kafka;
  private readonly admin: Admin;
  readonly runId: string;
  private readonly topics = new Set<string>();
  private readonly groups = new Set<string>();

  constructor(kafka: Kafka, admin: Admin, runId: string) {
    this.kafka = kafka;
    this.admin = admin;
    this.runId = runId;
  }

  /** Kafka allows only letters, digits, '.', '_' and '-' in a topic name: anything else becomes '_'. */
  topicName(purpose: string): string {
    return `${resourcePrefix}${purpose.replace(/[^a-zA-Z0-9._-]/g, '_')}-${this.runId}`;
  }

  /**
   * Kafka accepts any group id, but @platformatic/kafka refuses one with whitespace (its options
   * schema: groupId must match /^\S+$/), and row names may hold spaces ("commit offset+1").
   */
  groupName(purpose: string): string {
    const group = `${resourcePrefix}${this.runId}-${purpose.replace(/\s/g, '_')}`;
    this.groups.add(group);
    return group;
  }

  /** Creates a new topic (one replica unless `replicas` places them); an existing topic of that name is never adopted. */
  async createTopic(topic: string, partitions: number, replicas?: ReplicaAssignment[]): Promise<void> {
    this.assertPrefixed(topic);
    const spec = replicas ? { topic, replicaAssignment: replicas } : { topic, numPartitions: partitions, replicationFactor: 1 };
    const created = await this.admin.createTopics({ topics: [spec], waitForLeaders: false });
    if (!created) throw new UserError(`topic "${topic}" already exists; the harness only uses topics it creates.`);
    this.topics.add(topic);
    await waitForLeaders(this.admin, [{ topic, partitions: replicas ? replicas.length : partitions }]);
  }

  /** Deletes records before `offset` (retention experiments), on this run's own topics only. */
  async deleteRecords(topic: string, partitions: Array<{ partition: number; offset: number }>): Promise<void> {
    this.assertOwned(topic, 'delete records of');
    await this.admin.deleteTopicRecords({ topic, partitions: partitions.map((p) => ({ partition: p.partition, offset: String(p.offset) })) });
  }

  /**
   * Sets a group's committed offsets on a topic (what `kafka-consumer-groups --reset-offsets`
   * does), for this run's own groups and topics only. The broker refuses while the group still
   * has members (a clean leave can take a moment), so it retries briefly.
   */
  async resetOffsets(groupId: string, topic: string, to: 'earliest' | PartitionOffset[], { maxWaitMs = 10_000 } = {}): Promise<PartitionOffset[]> {
    this.assertOwned(topic, 'reset offsets on');
    if (!this.groups.has(groupId)) throw new UserError(`refusing to reset offsets of group "${groupId}": this run did not create it.`);
    const deadline = Date.now() + maxWaitMs;
    for (;;) {
      try {
        // --to-earliest commits each partition's first offset still in the log (kafkajs's admin.resetOffsets commits its -2 marker instead).
        const partitions = to === 'earliest' ? (await this.admin.fetchTopicOffsets(topic)).map((p) => ({ partition: p.partition, offset: Number(p.low) })) : to;
        await setGroupOffsets(this.kafka, groupId, topic, partitions);
        return partitions;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await sleep(300);
      }
    }
  }

  async deleteTopic(topic: string): Promise<void> {
    this.assertOwned(topic, 'delete');
    await this.admin.deleteTopics({ topics: [topic] });
    this.topics.delete(topic);
    // DeleteTopics answers once the controller has deleted it; a broker's metadata can list it a
    // moment longer (seen in CI, four test files at a time). Done means a listing no longer shows it.
    await waitFor(async () => !(await this.admin.listTopics()).includes(topic), {
      maxWaitMs: 10_000,
      intervalMs: 100,
      description: `topic ${topic} to be gone from the cluster's metadata`,
    });
  }

  /**
   * Deletes this run's groups and topics. A group still holding a killed member stays
   * "non-empty" until the member's session times out, so deleting groups is retried briefly.
   */
  async cleanUp({ maxWaitMs = 10_000 }: { maxWaitMs?: number } = {}): Promise<string[]> {
    const problems: string[] = [];
    const deadline = Date.now() + maxWaitMs;
    let pending = [...this.groups];
    while (pending.length > 0) {
      const failed: string[] = [];
      for (const group of pending) {
        try {
          await this.admin.deleteGroups([group]);
        } catch (error) {
          const message = String((error as { groups?: Array<{ error?: { type?: string } }> }).groups?.[0]?.error?.type ?? (error as Error).message);
          if (/GROUP_ID_NOT_FOUND|does not exist/i.test(message)) continue; // never used, nothing to delete
          failed.push(group);
        }
      }
      pending = failed;
      if (pending.length === 0 || Date.now() > deadline) break;
      await sleep(300);
    }
    for (const group of pending) problems.push(`could not delete consumer group ${group}`);
    this.groups.clear();
    for (const topic of [...this.topics]) {
      await this.deleteTopic(topic).catch((error: Error) => problems.push(`could not delete topic ${topic}: ${error.message}`));
    }
    return problems;
  }

  private assertPrefixed(name: string): void {
    if (!name.startsWith(resourcePrefix)) throw new UserError(`refusing to create "${name}": harness names start with "${resourcePrefix}"`);
  }

  private assertOwned(topic: string, action: string): void {
    if (!this.topics.has(topic)) {
      throw new UserError(`refusing to ${action} topic "${topic}": this run did not create it.`);
    }
  }
}
