import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import crashMidBatch from '../../scenarios/crash-mid-batch.ts';
import type { StartedBroker } from '../../src/broker/broker.ts';
import { createKafka } from '../../src/kafka/client.ts';
import { RunResources } from '../../src/kafka/run-resources.ts';
import { setGroupOffsets } from '../../src/kafka/set-group-offsets.ts';
import { runScenario } from '../../src/runner/run-scenario.ts';
import { sharedBroker } from './shared-broker.ts';
import { createTopicsAndWait } from './new-topics.ts';

/** The suite's broker seen as somebody else's cluster: the harness must clean up and touch nothing else. */
const asExternal = (): StartedBroker => ({ ...sharedBroker(), kind: 'external', disposable: false });
const knobs = { ...crashMidBatch.defaults, messages: 200, batch: 20, crashAfter: 5, crashBatch: 2 };
const resultsRoot = mkdtempSync(join(tmpdir(), 'kol-safety-'));

async function foreignSetup() {
  const kafka = createKafka(sharedBroker().brokers, 'foreign-team');
  const admin = kafka.admin();
  await admin.connect();
  const suffix = `${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const topic = `orders-${suffix}`;
  const group = `billing-${suffix}`;
  await createTopicsAndWait(admin, [{ topic, numPartitions: 1 }]);
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: Array.from({ length: 50 }, (_, i) => ({ value: `order ${i}` })) });
  await producer.disconnect();
  await setGroupOffsets(kafka, group, topic, [{ partition: 0, offset: 20 }]);
  const snapshot = async () => ({
    offsets: await admin.fetchTopicOffsets(topic),
    committed: await admin.fetchOffsets({ groupId: group, topics: [topic] }),
  });
  return { kafka, admin, topic, group, snapshot, before: await snapshot() };
}

const runLeftovers = async (admin: Awaited<ReturnType<typeof foreignSetup>>['admin'], runId: string) => ({
  topics: (await admin.listTopics()).filter((t) => t.includes(runId)),
  groups: (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.includes(runId)),
});

describe('on a shared cluster the harness touches only what it created', () => {
  test('a run deletes its topic and groups and leaves a foreign topic and group untouched', async () => {
    const foreign = await foreignSetup();
    const result = await runScenario(crashMidBatch, knobs, { broker: asExternal(), resultsRoot });
    expect(result.topic.startsWith('kol-')).toBe(true);
    expect(result.strategies.map((s) => s.duplicated)).toEqual([25, 5, 5]);
    expect(await runLeftovers(foreign.admin, result.runId)).toEqual({ topics: [], groups: [] });
    expect(await foreign.snapshot()).toEqual(foreign.before);
    await foreign.admin.disconnect();
  });

  test('an interrupted run cleans up too', async () => {
    const foreign = await foreignSetup();
    const abort = new AbortController();
    let runId = '';
    const run = runScenario(crashMidBatch, knobs, {
      broker: asExternal(),
      resultsRoot,
      signal: abort.signal,
      onPhase: (phase) => void (phase === 'consume+crash' && setTimeout(() => abort.abort(), 300)),
      onProgress: () => {},
    });
    await expect(run).rejects.toThrow(/interrupted/);
    // the run id is the last part of the run's results folder
    runId = (await import('node:fs')).readdirSync(join(resultsRoot, 'crash-mid-batch')).sort().at(-1)!;
    expect(await runLeftovers(foreign.admin, runId)).toEqual({ topics: [], groups: [] });
    expect(await foreign.snapshot()).toEqual(foreign.before);
    await foreign.admin.disconnect();
  });

  test('destructive steps are refused on anything the run did not create', async () => {
    const foreign = await foreignSetup();
    // The foreign team's offset, committed by setGroupOffsets (as kafka-consumer-groups --reset-offsets would).
    expect(foreign.before.committed[0]!.partitions).toEqual([expect.objectContaining({ partition: 0, offset: '20' })]);
    const resources = new RunResources(foreign.kafka, foreign.admin, 'guard-test');
    await expect(resources.deleteRecords(foreign.topic, [{ partition: 0, offset: 10 }])).rejects.toThrow(
      `refusing to delete records of topic "${foreign.topic}": this run did not create it`,
    );
    await expect(resources.deleteTopic(foreign.topic)).rejects.toThrow(`refusing to delete topic "${foreign.topic}"`);
    await expect(resources.createTopic(foreign.topic, 1)).rejects.toThrow(/harness names start with "kol-"/);
    await expect(resources.resetOffsets(foreign.group, foreign.topic, 'earliest')).rejects.toThrow(/refusing to reset offsets/);
    expect(await foreign.snapshot()).toEqual(foreign.before);
    await foreign.admin.disconnect();
  });
});
