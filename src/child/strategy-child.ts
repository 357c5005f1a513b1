/**
 * Entry point of one strategy process. The supervisor forks it with a ChildConfig in
 * argv[2]. It consumes, writes every processing side effect to its history file before the
 * message counts as processed, saves positions the strategy's way, and at the configured
 * crash point kills itself with SIGKILL: no finally, no goodbye to the group.
 */
import type { EachMessagePayload, KafkaMessage } from 'kafkajs';
import type { CrashPointName, Positions } from '../history/events.ts';
import { JsonlWriter } from '../history/jsonl.ts';
import { consumerSettings, createKafka } from '../kafka/client.ts';
import { decodeSeq } from '../kafka/messages.ts';
import { securityFromEnv } from '../kafka/security.ts';
import { createStrategy } from '../strategies/registry.ts';
import type { ResumePlan } from '../strategies/strategy.ts';
import { sleep, waitFor } from '../util/wait-for.ts';
import type { ChildConfig, ChildMessage, SupervisorMessage } from './child-config.ts';

const config = JSON.parse(process.argv[2] ?? '{}') as ChildConfig;
const { instance, incarnation, topic } = config;
const history = new JsonlWriter(config.historyPath);
const tell = (message: ChildMessage) => process.send?.(message);

/** Simulated work per message when processing is handed off to a queue. */
const handedOffWorkMs = 2;

// The supervisor is gone (it crashed or was killed): do not linger as an orphan.
process.on('disconnect', () => process.exit(0));

history.append({ kind: 'started', strategy: instance, incarnation, pid: process.pid, time: Date.now() });

// A generous retry window (~13 s): a commit sent while the broker restarts is retried until it is back.
const kafka = createKafka(config.brokers, `kol-${instance}-${incarnation}`, {
  security: config.securityFromEnv ? securityFromEnv() : {},
  retries: 10,
  maxRetryTime: 2000,
});
const consumer = kafka.consumer({ groupId: config.groupId, ...consumerSettings(config.sessionTimeoutMs) });
const strategy = createStrategy(config.strategy, { consumer, topic, workDir: config.workDir, instance, incarnation }, config.options);

/** Next offset per partition, as this process has processed them. */
const positions: Positions = {};
/** Where this process resumed on each assigned partition (drain bookkeeping; refreshed after a rebalance). */
let resumeFrom: Positions = {};
/** Where this process seeked on its last assignment: nothing before it may be processed. */
let seekedTo: Positions = {};
let processed = 0;
let finishing = false;
let released = false;

let thaw: (() => void) | undefined;
process.on('message', (message: SupervisorMessage) => {
  if (message.type === 'go' && !released) {
    released = true;
    consumer.resume([{ topic }]);
  }
  if (message.type === 'continue') thaw?.();
});

/** Tells the supervisor it reached its hold (or freeze) point and waits until told to continue. */
async function hold(): Promise<void> {
  const thawed = new Promise<void>((resolve) => (thaw = resolve));
  tell({ type: 'hold' });
  await thawed;
}

/** Waits, frozen by the supervisor (SIGSTOP), until it is told to continue. */
async function freeze(): Promise<void> {
  history.append({ kind: 'frozen', strategy: instance, incarnation, processedInIncarnation: processed, time: Date.now() });
  await hold();
}

function die(point: CrashPointName): never {
  history.append({ kind: 'crash', strategy: instance, incarnation, point, processedInIncarnation: processed, time: Date.now() });
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable: SIGKILL did not stop the process');
}

const crashesAt = (point: CrashPointName, n: number) => config.crash?.point === point && config.crash.atProcessed === n;

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
  if (strategy.save && strategy.saveOrder === 'after-process' && Object.keys(positions).length > 0) await save({ ...positions });
  history.append({ kind: 'drained', strategy: instance, incarnation, time: Date.now() });
  // Leaving the group is a courtesy: if the broker is unreachable right now, the group
  // notices the missing member after its session timeout anyway.
  await Promise.race([consumer.disconnect().catch(() => {}), sleep(5000)]);
  process.exit(0);
}

async function save(toSave: Positions, crashDuringSave?: () => never): Promise<void> {
  try {
    await strategy.save?.(toSave, crashDuringSave);
  } catch (error) {
    history.append({ kind: 'save-failed', strategy: instance, incarnation, positions: toSave, error: (error as Error).message, time: Date.now() });
    throw error;
  }
  if (strategy.savedVia === 'checkpoint-file') {
    history.append({ kind: 'saved', strategy: instance, incarnation, via: 'checkpoint-file', positions: toSave, time: Date.now() });
  }
}

/** Saves and applies the during-save / after-save crash points for message number `n`. */
async function saveAt(n: number, toSave: Positions): Promise<void> {
  await save(toSave, crashesAt('during-save', n) ? () => die('during-save') : undefined);
  if (crashesAt('after-save', n)) die('after-save');
}

/** Processing one message: the whole life of a message inside the strategy. */
async function handle(partition: number, message: KafkaMessage): Promise<void> {
  const offset = Number(message.offset);
  const n = processed + 1;
  // before-process strategies save the end of the batch they are about to process
  if (strategy.save && strategy.saveOrder === 'before-process' && processed % config.batchSize === 0) {
    await saveAt(n, { ...positions, [partition]: offset + config.batchSize });
  }
  if (crashesAt('before-process', n)) die('before-process');

  // The processing side effect, durable before the message counts as processed.
  history.append({ kind: 'processed', strategy: instance, incarnation, partition, offset, seq: decodeSeq(message.value) });
  processed = n;
  positions[partition] = offset + 1;

  if (crashesAt('mid-batch', n)) die('mid-batch');
  if (config.freeze?.atProcessed === n) await freeze();
  if (config.holdAt === n) await hold();
  if (strategy.save && strategy.saveOrder === 'after-process' && n % config.batchSize === 0) await saveAt(n, { ...positions });
  if (n % 25 === 0) tell({ type: 'progress', processed: n });
  if (drained()) setImmediate(() => void finish());
}

// Hand-off: eachMessage only queues; a worker does the work later, one message at a time.
const queue: Array<{ partition: number; message: KafkaMessage }> = [];
let working = false;
async function work(): Promise<void> {
  if (working) return;
  working = true;
  while (queue.length > 0) {
    const next = queue.shift()!;
    await sleep(handedOffWorkMs);
    await handle(next.partition, next.message);
  }
  working = false;
}

async function eachMessage({ partition, message }: EachMessagePayload): Promise<void> {
  if (finishing) return;
  const start = seekedTo[partition];
  const offset = Number(message.offset);
  // A message before the seek point means the seek raced the first fetch: a harness bug, never a lesson.
  if (positions[partition] === undefined && start !== undefined && offset < start) {
    artifact(`${instance} received ${topic}/${partition}@${offset} before its resume point ${start}`);
  }
  if (strategy.processing === 'handed-off') {
    queue.push({ partition, message });
    void work();
    return; // kafkajs now considers the message done and may commit its offset
  }
  await handle(partition, message);
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
  // Decided before joining, so the seek below can be made synchronously on assignment.
  const startPlan = strategy.readResumePlan();
  let committed = startPlan.from === 'kafka' ? await committedOffsets() : {};
  const end = startPlan.from === 'fallback' && startPlan.policy === 'latest' ? await endOffsets() : {};
  if (startPlan.from === 'fallback' && incarnation > 1) {
    history.append({ kind: 'fallback', strategy: instance, incarnation, reason: startPlan.reason, detail: startPlan.detail, policy: startPlan.policy, time: Date.now() });
  }
  let joins = 0;

  /**
   * Where a strategy that keeps its own positions continues on a partition it was given:
   * where this process got to if it read the partition before (a rebalance gave it back),
   * else its checkpoint file (read again on every rebalance), else its fallback.
   */
  const ownPosition = (p: number, plan: ResumePlan): number | undefined => {
    if (plan.from === 'kafka') return undefined;
    if (positions[p] !== undefined) return positions[p];
    // A partition the file does not know starts at the beginning, like a new partition.
    if (plan.from === 'checkpoint') return plan.positions[p] ?? config.logStart[p] ?? 0;
    return plan.policy === 'latest' ? end[p] : (config.logStart[p] ?? 0);
  };

  // GROUP_JOIN is emitted before the first fetch; a seek made synchronously here is in place
  // before any message is fetched (an await before it could lose that race).
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    const partitions = payload.memberAssignment[topic] ?? [];
    // Paused before the first fetch; resumed when the supervisor says every member is in.
    if (config.waitForGo && !released) consumer.pause([{ topic }]);
    const plan = joins++ === 0 || startPlan.from === 'kafka' ? startPlan : strategy.readResumePlan();
    resumeFrom = {};
    seekedTo = {};
    for (const p of partitions) {
      const own = ownPosition(p, plan);
      if (own !== undefined) {
        consumer.seek({ topic, partition: p, offset: String(own) });
        seekedTo[p] = own;
      }
      resumeFrom[p] = own ?? positions[p] ?? committed[p] ?? config.logStart[p] ?? 0;
    }
    history.append({ kind: 'joined', strategy: instance, incarnation, partitions, resumeFrom, time: Date.now() });
    tell({ type: 'joined', partitions });
    if (drained()) setImmediate(() => void finish());
    // After a rebalance Kafka resumes moved partitions at commits another member made: only
    // bookkeeping (drain detection) needs them, so fetching them late is harmless.
    if (joins > 1 && startPlan.from === 'kafka') {
      void committedOffsets().then((fresh) => {
        committed = fresh;
        for (const p of partitions) if (positions[p] === undefined) resumeFrom[p] = fresh[p] ?? config.logStart[p] ?? 0;
        if (drained()) setImmediate(() => void finish());
      });
    }
  });

  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommit: strategy.autoCommit !== false,
    ...(strategy.autoCommit ? { autoCommitInterval: strategy.autoCommit.intervalMs } : {}),
    eachMessage,
  });
}

/** Retries while the broker answers with a retriable error (a fresh broker is still loading its offsets topic). */
async function withAdmin<T>(what: string, call: (admin: ReturnType<typeof kafka.admin>) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await waitFor(() => call(admin), {
      maxWaitMs: 30_000,
      intervalMs: 100,
      description: what,
      retryOn: (error) => (error as { retriable?: boolean }).retriable === true,
    });
  } finally {
    await admin.disconnect();
  }
}

/** The group's committed offsets (a dead predecessor cannot change them any more). */
async function committedOffsets(): Promise<Positions> {
  const [result] = await withAdmin(`the committed offsets of ${config.groupId}`, (admin) => admin.fetchOffsets({ groupId: config.groupId, topics: [topic] }));
  const committed: Positions = {};
  for (const p of result?.partitions ?? []) if (Number(p.offset) >= 0) committed[p.partition] = Number(p.offset);
  return committed;
}

async function endOffsets(): Promise<Positions> {
  const offsets = await withAdmin(`the end offsets of ${topic}`, (admin) => admin.fetchTopicOffsets(topic));
  return Object.fromEntries(offsets.map((p) => [p.partition, Number(p.high)]));
}

main().catch((error: Error) => {
  process.stderr.write(`${instance}: ${error.stack ?? error.message}\n`);
  process.exit(1);
});

