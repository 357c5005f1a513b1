import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { makeFolder } from '../util/make-folder.ts';
import { join } from 'node:path';
import { describeBroker, type StartedBroker } from '../broker/broker.ts';
import { defaultClient, type ClientName } from '../consumer/clients.ts';
import type { ChildConfig } from '../consumer/protocol.ts';
import { startLine } from '../faults/start-line.ts';
import type { HistoryEvent, Positions } from '../history/events.ts';
import { JsonlWriter } from '../history/jsonl.ts';
import { perMessageKinds, readRunHistory, runHistoryFiles, runnerHistoryPath } from '../history/run-files.ts';
import { createKafka, defaultHeartbeatIntervalMs, defaultRetryWindowMs, externalSessionTimeoutMs, teachingSessionTimeoutMs } from '../kafka/client.ts';
import { groupsOf, readKafkaView } from '../kafka/group-view.ts';
import { RunResources } from '../kafka/run-resources.ts';
import { produceNumbered, topicOffsets } from '../kafka/topic.ts';
import { unsupportedReason } from '../strategies/registry.ts';
import { HarnessArtifactError } from '../util/errors.ts';
import { strategyProcessEntry } from './child-bundle.ts';
import { resultsDir as defaultResultsRoot } from '../util/paths.ts';
import { timestamp } from '../util/timestamp.ts';
import { runPhase } from './consume-phase.ts';
import { explainPhaseFailure, interruptedError } from './diagnose.ts';
import { assignTriggers, planInstances, type Instance } from './instances.ts';
import { judgeDrain, LiveFaults } from './live-faults.ts';
import { readSurvived } from './survived.ts';
import { RunWatch } from './run-watch.ts';
import type { Phase, RunResult } from './run-result.ts';
import type { AnyScenario, Knobs } from './scenario.ts';
import { stallBoundMs } from './stall-watch.ts';
import { betweenContext } from './between.ts';
import { checkRun } from './check-run.ts';
import { Supervisor } from './supervisor.ts';

export interface RunOptions {
  broker: StartedBroker;
  resultsRoot?: string;
  /** Where the run's files go; by default results/<scenario>/<timestamp>-<id>/. */
  workDir?: string;
  /** Phase changes (awaited: step mode holds the run there, when no consumer runs) and progress texts. */
  onPhase?: (phase: Phase) => void | Promise<void>;
  onProgress?: (text: string) => void;
  /** Significant events as they happen: faults, crashes, exits, resume points (src/runner/run-watch.ts). */
  onEvent?: (event: HistoryEvent) => void;
  /** Leave the run's topics and groups on a broker that outlives the run (for Kafka's own tools). */
  keep?: boolean;
  /** Ctrl-C: kills every strategy process and rejects. */
  signal?: AbortSignal;
  /** Time already spent starting the broker, for the timings table. */
  brokerStartMs?: number;
  /** Bound for each consume phase. */
  phaseTimeoutMs?: number;
  /** Bound on the silence of every process of a phase (default: stallBoundMs of the session timeout). */
  stallTimeoutMs?: number;
  /** The Kafka client the strategies run on (an instance may name its own); default kafkajs. */
  client?: ClientName;
}

/**
 * Runs one scenario on a started broker: produce → the consumers with the scenario's faults →
 * the faults between phases → restart the crashed ones and drain to the end offsets →
 * collect what survived → check → the result. Every file the run writes is in its results
 * folder as soon as it exists, so an interrupted run keeps what it measured.
 */
export async function runScenario(scenario: AnyScenario, values: Readonly<Record<string, number>>, options: RunOptions): Promise<RunResult> {
  // The scenario's declared knobs, already validated (src/cli/resolve-knobs.ts); the runner reads the base ones.
  const knobs = values as Knobs<never> & Readonly<Record<string, number>>;
  const runId = `${timestamp()}-${randomBytes(3).toString('hex')}`;
  const workDir = options.workDir ?? join(options.resultsRoot ?? defaultResultsRoot, scenario.name, runId);
  makeFolder(workDir);
  const timings: RunResult['timings'] = {};
  if (options.brokerStartMs !== undefined) timings['broker start'] = options.brokerStartMs;
  const phase = async <T>(name: Phase, work: () => Promise<T>): Promise<T> => {
    // Ctrl-C between phases: the next one does not start.
    if (options.signal?.aborted) throw interruptedError(options.signal.reason);
    await options.onPhase?.(name);
    watch.phase();
    const began = performance.now();
    try {
      return await work();
    } catch (error) {
      // A full disk or a dead broker is the environment's doing (exit 3), never a harness error.
      throw await explainPhaseFailure(error, { workDir, broker: options.broker, phase: name, signal: options.signal });
    } finally {
      timings[name] = Math.round(performance.now() - began);
    }
  };

  const runnerHistory = new JsonlWriter(runnerHistoryPath(workDir), (event) => watch.runnerEvent(event));
  // A newly created topic can briefly be unknown to the broker that leads it ("does not host this
  // topic-partition") while several runs share the broker: a retry window like the consumers' (~13 s).
  const kafka = createKafka(options.broker.brokers, `kol-runner-${runId}`, { security: options.broker.security, retries: 10, maxRetryTime: 2000 });
  const admin = kafka.admin();
  await admin.connect();
  const resources = new RunResources(kafka, admin, runId);
  const topic = resources.topicName(scenario.name);
  const scenarioFaults = scenario.faults(knobs);
  const client = options.client ?? defaultClient;
  // A row whose strategy the client cannot run is not started; the report says why (once per row: a pair shares one).
  const unsupported: NonNullable<RunResult['unsupported']> = [];
  const instances = planInstances(scenario, resources, workDir, client).filter((i) => {
    const reason = unsupportedReason(i.choice, i.client);
    if (reason !== undefined && !unsupported.some((u) => u.row === i.row && u.client === i.client)) unsupported.push({ row: i.row, client: i.client, reason });
    return reason === undefined;
  });
  const faults = [startLine(instances, knobs.partitions), ...scenarioFaults];
  const ownerOf = assignTriggers(instances, faults);
  const watch = new RunWatch({
    historyPathOf: (name) => instances.find((i) => i.name === name)?.historyPath,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  });
  const supervisor = new Supervisor(await strategyProcessEntry(), workDir, runnerHistory, (instance, message) => {
    live.onMessage(instance, message);
    watch.message(instance, message);
  });
  const live = new LiveFaults({
    faults,
    ownerOf,
    instances,
    broker: options.broker,
    topic,
    history: runnerHistory,
    onFailure: () => supervisor.killAll(),
  });
  const onAbort = () => supervisor.killAll();
  options.signal?.addEventListener('abort', onAbort);

  try {
    const produced = await phase('produce', async () => {
      // On a cluster the harness started: replicated on every node (see ClusterControl).
      const replicas = await options.broker.cluster?.topicReplicas(knobs.partitions);
      await resources.createTopic(topic, knobs.partitions, replicas);
      for (const output of new Set(instances.flatMap((i) => (i.outputTopic ? [i.outputTopic] : [])))) {
        await resources.createTopic(output, knobs.partitions, replicas);
      }
      await produceNumbered(kafka, topic, {
        count: knobs.messages,
        partitions: knobs.partitions,
        onProduced: (events) => runnerHistory.appendMany(events),
        onProgress: (sent) => options.onProgress?.(`produced ${sent}/${knobs.messages}`),
      });
      return topicOffsets(admin, topic);
    });
    writeFileSync(join(workDir, 'offsets.json'), JSON.stringify({ topic, ...produced }, null, 2));

    const scenarioSession = options.broker.disposable || options.broker.teaching;
    const sessionTimeoutMs = scenarioSession ? (scenario.sessionTimeoutMs ?? teachingSessionTimeoutMs) : externalSessionTimeoutMs();
    const heartbeatIntervalMs = (scenarioSession ? scenario.heartbeatIntervalMs : undefined) ?? defaultHeartbeatIntervalMs(sessionTimeoutMs);
    const childConfig = (i: Instance, incarnation: number, logStart: Positions): ChildConfig => ({
      choice: i.choice,
      client: i.client,
      instance: i.name,
      row: i.row,
      incarnation,
      brokers: options.broker.brokers,
      topic,
      ...(i.outputTopic ? { outputTopic: i.outputTopic } : {}),
      groupId: i.groupId,
      workDir,
      historyPath: i.historyPath,
      batchSize: knobs.batch,
      triggers: incarnation === 1 ? i.triggers : [],
      drainTo: produced.end,
      logStart,
      sessionTimeoutMs,
      heartbeatIntervalMs,
      retryWindowMs: scenario.retryWindowMs ?? defaultRetryWindowMs,
      securityFromEnv: options.broker.security !== undefined,
    });
    const stallMs = options.stallTimeoutMs ?? stallBoundMs(sessionTimeoutMs);
    const phaseOptions = { supervisor, live, atOnce: scenario.atOnce, timeoutMs: options.phaseTimeoutMs ?? 90_000, stallMs, signal: options.signal };

    const toRestart = await phase('consume+crash', async () => {
      const ended = await runPhase(
        instances.map((i) => childConfig(i, 1, produced.logStart)),
        { ...phaseOptions, judge: (instance, exit) => live.judgeFirstExit(instance, exit) },
      );
      await live.settled(); // a fault still at work (a node being brought back) ends within this phase
      return ended;
    });

    // What the broker and the disk hold for the dead, before any fault or restart touches them.
    runnerHistory.appendMany(await readSurvived(instances.filter((i) => toRestart.has(i.name)), { admin, topic, workDir, ends: produced.end }));

    // What Kafka knew once the first processes had died, before any restart (the lesson's "committed 200 of 1000").
    const kafkaAtCrash = toRestart.size > 0 ? await readKafkaView(admin, topic, groupsOf(instances), readRunHistory(runHistoryFiles(workDir, instances.map((i) => i.name)), perMessageKinds)) : undefined;

    const between = betweenContext({ workDir, topic, instances, resources });
    const changes = scenarioFaults.some((f) => f.beforeRestart)
      ? await phase('fault', async () => {
          const done: string[] = [];
          for (const fault of scenarioFaults) for (const d of (await fault.beforeRestart?.(between)) ?? []) done.push(d);
          return done;
        })
      : [];
    for (const description of changes) runnerHistory.append({ kind: 'fault', description, time: Date.now() });

    const crashed = instances.filter((i) => toRestart.has(i.name));
    if (crashed.length > 0) {
      // A fault may have moved the log start (deleted records): restarts must know the new one.
      const { logStart } = await topicOffsets(admin, topic);
      const restarts = crashed.map((i) => childConfig(i, 2, logStart));
      await phase('restart+drain', () => {
        for (const config of restarts) watch.restarting(config.instance, config.sessionTimeoutMs);
        return runPhase(restarts, { ...phaseOptions, judge: judgeDrain });
      });
    }
    if (live.failure) throw live.failure;
    if (live.artifacts.length > 0) throw new HarnessArtifactError(live.artifacts.join('; '));

    const strategies = await phase('check', () =>
      checkRun({ scenario, knobs, client, instances, workDir, topic, kafka, admin, logStartAtProduce: produced.logStart }),
    );

    const runResult: RunResult = {
      scenario: scenario.name,
      runId,
      knobs,
      broker: describeBroker(options.broker),
      topic,
      client,
      ...(unsupported.length > 0 ? { unsupported } : {}),
      crash: strategies.rows.find((r) => r.crashPlan)?.crashPlan ?? null,
      faults: [...live.notes, ...changes],
      strategies: strategies.rows,
      verdict: strategies.checked.verdict,
      problems: strategies.checked.problems,
      matchesPrediction: strategies.rows.every((s) => s.matchesPrediction),
      kafka: strategies.kafkaView,
      ...(kafkaAtCrash ? { kafkaAtCrash } : {}),
      timings,
      resultsDir: workDir,
    };
    writeFileSync(join(workDir, 'result.json'), JSON.stringify(runResult, null, 2) + '\n');
    return runResult;
  } catch (error) {
    // The run's own folder says what stopped it, with the stack: with several runs at once the
    // command's one-line message cannot name the right folder for every failure.
    try {
      writeFileSync(join(workDir, 'error.txt'), `${(error as Error)?.stack ?? String(error)}\n`);
    } catch {
      // best effort: a full or read-only disk must not hide the error that stopped the run
    }
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    supervisor.killAll();
    watch.stopTicking();
    // A disposable broker goes away with everything on it; on anyone else's cluster the run
    // removes what it created, also after a failure or Ctrl-C (unless asked to keep it).
    if (!options.broker.disposable && !options.keep) {
      options.onProgress?.("removing this run's topic and groups");
      for (const problem of await resources.cleanUp()) process.stderr.write(`warning: ${problem}\n`);
    }
    await admin.disconnect().catch(() => {});
    runnerHistory.close();
  }
}
