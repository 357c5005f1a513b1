/**
 * Entry point of one strategy process. The supervisor forks it with a ChildConfig in
 * argv[2]. It consumes, writes every processing side effect to its history file before the
 * message counts as processed, saves positions the strategy's way, and at the configured
 * crash point kills itself with SIGKILL: no finally, no goodbye to the group.
 */
import type { EachMessagePayload } from 'kafkajs';
import type { Positions } from '../history/events.ts';
import { JsonlWriter } from '../history/jsonl.ts';
import { consumerSettings, createKafka } from '../kafka/client.ts';
import { decodeSeq } from '../kafka/messages.ts';
import { securityFromEnv } from '../kafka/security.ts';
import { createStrategy } from '../strategies/registry.ts';
import { waitFor } from '../util/wait-for.ts';
import type { ChildConfig, ChildMessage } from './child-config.ts';

const config = JSON.parse(process.argv[2] ?? '{}') as ChildConfig;
const { strategy: name, instance, incarnation, topic } = config;
const history = new JsonlWriter(config.historyPath);
const tell = (message: ChildMessage) => process.send?.(message);

// The supervisor is gone (it crashed or was killed): do not linger as an orphan.
process.on('disconnect', () => process.exit(0));

history.append({ kind: 'started', strategy: instance, incarnation, pid: process.pid, time: Date.now() });

const kafka = createKafka(config.brokers, `kol-${instance}-${incarnation}`, { security: config.securityFromEnv ? securityFromEnv() : {} });
const consumer = kafka.consumer({ groupId: config.groupId, ...consumerSettings(config.sessionTimeoutMs) });
const strategy = createStrategy(name, { consumer, topic, workDir: config.workDir, instance });

/** Next offset per partition, as this process has processed them. */
const positions: Positions = {};
/** Where this process resumed on each assigned partition. */
let resumeFrom: Positions = {};
let processed = 0;
let finishing = false;

function die(point: NonNullable<ChildConfig['crash']>['point']): never {
  history.append({ kind: 'crash', strategy: instance, incarnation, point, processedInIncarnation: processed, time: Date.now() });
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable: SIGKILL did not stop the process');
}

function artifact(message: string): never {
  tell({ type: 'harness-artifact', message });
  process.stderr.write(`harness artifact: ${message}\n`);
  process.exit(70);
}

function drained(): boolean {
  const drainTo = config.drainTo;
  if (!drainTo) return false;
  return Object.entries(drainTo).every(([p, end]) => (positions[Number(p)] ?? resumeFrom[Number(p)] ?? 0) >= end);
}

async function finish(): Promise<void> {
  if (finishing) return;
  finishing = true;
  if (strategy.save && Object.keys(positions).length > 0) await save();
  history.append({ kind: 'drained', strategy: instance, incarnation, time: Date.now() });
  await consumer.disconnect();
  process.exit(0);
}

async function save(crashDuringSave?: () => never): Promise<void> {
  await strategy.save?.({ ...positions }, crashDuringSave);
  if (strategy.savedVia === 'checkpoint-file') {
    history.append({ kind: 'saved', strategy: instance, incarnation, via: 'checkpoint-file', positions: { ...positions }, time: Date.now() });
  }
}

async function eachMessage({ partition, message }: EachMessagePayload): Promise<void> {
  if (finishing) return;
  const offset = Number(message.offset);
  const start = resumeFrom[partition];
  // A message before the resume point means the seek raced the first fetch: a harness bug, never a lesson.
  if (positions[partition] === undefined && start !== undefined && offset < start) {
    artifact(`${instance} received ${topic}/${partition}@${offset} before its resume point ${start}`);
  }
  const crash = config.crash;
  if (crash?.point === 'before-process' && processed + 1 === crash.atProcessed) die('before-process');

  // The processing side effect, durable before the message counts as processed.
  history.append({ kind: 'processed', strategy: instance, incarnation, partition, offset, seq: decodeSeq(message.value) });
  processed++;
  positions[partition] = offset + 1;

  if (crash?.point === 'mid-batch' && processed === crash.atProcessed) die('mid-batch');
  if (strategy.save && processed % config.batchSize === 0) {
    const tear = crash?.point === 'during-save' && processed === crash.atProcessed;
    await save(tear ? () => die('during-save') : undefined);
    if (crash?.point === 'after-save' && processed === crash.atProcessed) die('after-save');
  }
  if (processed % 25 === 0) tell({ type: 'progress', processed });
  if (drained()) setImmediate(() => void finish());
}

consumer.on(consumer.events.COMMIT_OFFSETS, ({ payload }) => {
  const committed: Positions = {};
  for (const t of payload.topics) for (const p of t.partitions) committed[Number(p.partition)] = Number(p.offset);
  const via = strategy.autoCommit ? 'auto-commit' : 'kafka-commit';
  history.append({ kind: 'saved', strategy: instance, incarnation, via, positions: committed, time: Date.now() });
});

consumer.on(consumer.events.CRASH, ({ payload }) => {
  process.stderr.write(`consumer crashed: ${payload.error.message} (restart: ${payload.restart})\n`);
  if (!payload.restart) process.exit(1);
});

async function main(): Promise<void> {
  // Positions the strategy keeps itself are read before joining, so the seek below can be
  // made synchronously when the group assignment arrives.
  const own = strategy.readResumePositions();
  const committed = own ? {} : await committedOffsets();

  // GROUP_JOIN is emitted before the first fetch; a seek made synchronously here is in place
  // before any message is fetched (an await before it could lose that race).
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    const partitions = payload.memberAssignment[topic] ?? [];
    resumeFrom = {};
    for (const p of partitions) {
      const fromFile = own?.[p];
      if (fromFile !== undefined) consumer.seek({ topic, partition: p, offset: String(fromFile) });
      resumeFrom[p] = fromFile ?? committed[p] ?? config.logStart[p] ?? 0;
    }
    history.append({ kind: 'joined', strategy: instance, incarnation, partitions, resumeFrom, time: Date.now() });
    tell({ type: 'joined', partitions });
    if (drained()) setImmediate(() => void finish());
  });

  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommit: strategy.autoCommit !== false,
    ...(strategy.autoCommit ? { autoCommitInterval: strategy.autoCommit.intervalMs } : {}),
    eachMessage,
  });
}

/**
 * The group's committed offsets (a dead predecessor cannot change them any more).
 * Retried while the broker answers with a retriable error: on a fresh broker the offsets
 * topic is still loading when the first group asks.
 */
async function committedOffsets(): Promise<Positions> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [result] = await waitFor(
      async () => {
        try {
          return await admin.fetchOffsets({ groupId: config.groupId, topics: [topic] });
        } catch (error) {
          if ((error as { retriable?: boolean }).retriable) return undefined;
          throw error;
        }
      },
      { maxWaitMs: 30_000, intervalMs: 100, description: `the committed offsets of ${config.groupId}` },
    );
    const committed: Positions = {};
    for (const p of result?.partitions ?? []) if (Number(p.offset) >= 0) committed[p.partition] = Number(p.offset);
    return committed;
  } finally {
    await admin.disconnect();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`${instance}: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
