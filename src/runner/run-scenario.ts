import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeBroker, type StartedBroker } from '../broker/broker.ts';
import type { ChildConfig, ChildMessage } from '../child/child-config.ts';
import { check } from '../checker/check.ts';
import type { CrashPlan, Guarantee, HistoryEvent, Positions } from '../history/events.ts';
import { JsonlWriter, readJsonl } from '../history/jsonl.ts';
import { createKafka, externalSessionTimeoutMs, teachingSessionTimeoutMs } from '../kafka/client.ts';
import { RunResources } from '../kafka/run-resources.ts';
import { produceNumbered, topicOffsets } from '../kafka/topic.ts';
import { checkpointPath } from '../strategies/file-checkpoint.ts';
import { strategyInfo } from '../strategies/registry.ts';
import { HarnessArtifactError, UserError } from '../util/errors.ts';
import { resultsDir as defaultResultsRoot } from '../util/paths.ts';
import { timestamp } from '../util/timestamp.ts';
import type { Phase, RunResult, StrategyResult } from './run-result.ts';
import { instanceSpecs, matchesPrediction, rowName, type InstanceSpec, type Knobs, type ScenarioDefinition } from './scenario.ts';
import { GroupGate } from './group-gate.ts';
import { Zombies } from './zombies.ts';
import { type ChildExit, type RunningChild, Supervisor } from './supervisor.ts';

export interface RunOptions {
  broker: StartedBroker;
  resultsRoot?: string;
  /** Where the run's files go; by default results/<scenario>/<timestamp>-<id>/. */
  workDir?: string;
  /** Phase changes and progress texts for the one-line progress display. */
  onPhase?: (phase: Phase) => void;
  onProgress?: (text: string) => void;
  /** Ctrl-C: kills every strategy process and rejects. */
  signal?: AbortSignal;
  /** Time already spent starting the broker, for the timings table. */
  brokerStartMs?: number;
  /** Bound for each consume phase. */
  phaseTimeoutMs?: number;
}

interface Instance {
  spec: InstanceSpec;
  name: string;
  groupId: string;
  historyPath: string;
  crash: CrashPlan | null;
}

/**
 * Runs one scenario on a started broker: produce; run every instance (those with a crash
 * plan until they kill themselves, the others to the end); inject the scenario's fault;
 * restart the crashed ones and drain them to the end offsets; check the recorded history.
 * Every file the run writes is in its results folder as soon as it exists, so an
 * interrupted run keeps what it measured.
 */
export async function runScenario(scenario: ScenarioDefinition, knobs: Knobs, options: RunOptions): Promise<RunResult> {
  const runId = `${timestamp()}-${randomBytes(3).toString('hex')}`;
  const workDir = options.workDir ?? join(options.resultsRoot ?? defaultResultsRoot, scenario.name, runId);
  mkdirSync(workDir, { recursive: true });
  const timings: RunResult['timings'] = {};
  if (options.brokerStartMs !== undefined) timings['broker start'] = options.brokerStartMs;
  const phase = async <T>(name: Phase, work: () => Promise<T>): Promise<T> => {
    options.onPhase?.(name);
    const began = performance.now();
    try {
      return await work();
    } finally {
      timings[name] = Math.round(performance.now() - began);
    }
  };

  const runnerHistory = new JsonlWriter(join(workDir, 'history-runner.jsonl'));
  const kafka = createKafka(options.broker.brokers, `kol-runner-${runId}`, { security: options.broker.security });
  const admin = kafka.admin();
  await admin.connect();
  const resources = new RunResources(admin, runId);
  const topic = resources.topicName(scenario.name);
  const instances: Instance[] = instanceSpecs(scenario).map((spec) => ({
    spec,
    name: spec.name,
    groupId: resources.groupName(rowName(spec)),
    historyPath: join(workDir, `history-${spec.name}.jsonl`),
    crash: spec.crash ? spec.crash(knobs) : (scenario.crash?.(knobs) ?? null),
  }));

  const progress = new Map<string, string>();
  const artifacts: string[] = [];
  const show = () => options.onProgress?.([...progress].map(([i, s]) => `${i} ${s}`).join(' · '));
  const gate = new GroupGate(instances.map((i) => ({ instance: i.name, group: i.groupId })), knobs.partitions);
  const faultsDuringRun: string[] = [];
  const zombies = new Zombies(instances.map((i) => ({ instance: i.name, group: i.groupId })), (description) => {
    faultsDuringRun.push(description);
    runnerHistory.append({ kind: 'fault', description, time: Date.now() });
  });
  const supervisor = new Supervisor(workDir, runnerHistory, (instance, message: ChildMessage) => {
    if (message.type === 'harness-artifact') artifacts.push(message.message);
    if (message.type === 'joined') gate.joined(instance, message.partitions);
    if (message.type === 'hold' && heldAt !== undefined) held.add(instance);
    else if (message.type === 'hold') void zombies.hold(instance);
    if (message.type === 'hold' && heldAt !== undefined && held.size === instances.length) void faultWhileHeld();
    progress.set(instance, message.type === 'progress' ? String(message.processed) : message.type === 'joined' ? 'joined' : 'artifact!');
    show();
  });
  // A fault while the consumers run: every instance holds at the same message, the fault
  // happens, then they go on (scenario.holdAt / whileHeld).
  const heldAt = scenario.holdAt?.(knobs);
  const held = new Set<string>();
  const liveChildren = new Map<string, RunningChild>();
  let faultFailed: unknown;
  const faultWhileHeld = async () => {
    const release = () => {
      for (const name of held) liveChildren.get(name)?.send({ type: 'continue' });
    };
    try {
      for (const description of (await scenario.whileHeld?.({ broker: options.broker, release })) ?? []) {
        faultsDuringRun.push(description);
        runnerHistory.append({ kind: 'fault', description, time: Date.now() });
      }
    } catch (error) {
      faultFailed = error;
      supervisor.killAll();
    } finally {
      release();
    }
  };
  const onAbort = () => supervisor.killAll();
  options.signal?.addEventListener('abort', onAbort);

  try {
    const produced = await phase('produce', async () => {
      await resources.createTopic(topic, knobs.partitions);
      const events = await produceNumbered(kafka, topic, {
        count: knobs.messages,
        partitions: knobs.partitions,
        onProgress: (sent) => options.onProgress?.(`produced ${sent}/${knobs.messages}`),
      });
      runnerHistory.appendMany(events);
      return topicOffsets(admin, topic);
    });
    const { end } = produced;
    writeFileSync(join(workDir, 'offsets.json'), JSON.stringify({ topic, ...produced }, null, 2));

    const childConfig = (i: Instance, incarnation: number, logStart: Positions): ChildConfig => ({
      strategy: i.spec.strategy,
      options: i.spec.options ?? {},
      instance: i.name,
      incarnation,
      brokers: options.broker.brokers,
      topic,
      groupId: i.groupId,
      workDir,
      historyPath: i.historyPath,
      batchSize: knobs.batch,
      logStart,
      drainTo: end,
      securityFromEnv: options.broker.security !== undefined,
      sessionTimeoutMs: options.broker.disposable ? (scenario.sessionTimeoutMs ?? teachingSessionTimeoutMs) : externalSessionTimeoutMs(),
    });
    /** Instances whose process ended without draining in the first phase: they are restarted. */
    const toRestart = new Set<string>();
    const runPhase = async (configs: ChildConfig[]) => {
      progress.clear();
      const judge = (exit: ChildExit, child: RunningChild, config: ChildConfig) => {
        if (config.crash) {
          if (exit.signal === 'SIGKILL') return void toRestart.add(config.instance);
          return `${child.instance} exited (${exit.signal ?? `code ${exit.code}`}) before its crash point; see ${child.logPath}`;
        }
        // A zombie may die on its own when Kafka fences it (kafkajs gives up on the rejected
        // commit); like any crashed consumer it is restarted.
        if (config.freeze && exit.code === 1) return void toRestart.add(config.instance);
        return exit.code === 0 ? undefined : `${child.instance} did not drain cleanly (${exit.signal ?? `code ${exit.code}`}); see ${child.logPath}`;
      };
      const groups = scenario.sequential ? configs.map((c) => [c]) : [configs];
      for (const group of groups) {
        const children = group.map((config) => ({ config, child: supervisor.start(config) }));
        for (const { config, child } of children) {
          if (config.waitForGo) gate.track(config.instance, child);
          zombies.track(config.instance, child);
          liveChildren.set(config.instance, child);
        }
        await awaitAll(children.map((c) => c.child), options, (exit, child) => judge(exit, child, children.find((c) => c.child === child)!.config));
      }
    };

    const sharedGroup = (i: Instance) => instances.filter((j) => j.groupId === i.groupId).length > 1;
    await phase('consume+crash', () =>
      runPhase(
        instances.map((i) => ({
          ...childConfig(i, 1, produced.logStart),
          ...(i.crash ? { crash: i.crash } : {}),
          ...(i.spec.freeze ? { freeze: i.spec.freeze(knobs) } : {}),
          ...(heldAt !== undefined ? { holdAt: heldAt } : {}),
          waitForGo: sharedGroup(i),
        })),
      ),
    );

    const faults = scenario.beforeRestart
      ? await phase('fault', () =>
          scenario.beforeRestart!({
            workDir,
            topic,
            knobs,
            resources,
            checkpointPath: (name) => {
              const spec = instances.find((i) => i.name === name)?.spec;
              return checkpointPath(workDir, name, spec?.options);
            },
            history: () => collectHistory(workDir, instances),
          }),
        )
      : [];
    for (const description of faults) runnerHistory.append({ kind: 'fault', description, time: Date.now() });

    const crashed = instances.filter((i) => toRestart.has(i.name));
    if (crashed.length > 0) {
      // A fault may have moved the log start (deleted records): restarts must know the new one.
      const { logStart } = await topicOffsets(admin, topic);
      await phase('restart+drain', () => runPhase(crashed.map((i) => childConfig(i, 2, logStart))));
    }
    if (faultFailed) throw faultFailed;
    if (artifacts.length > 0) throw new HarnessArtifactError(artifacts.join('; '));

    const result = await phase('check', async () => {
      const events = collectHistory(workDir, instances);
      writeFileSync(join(workDir, 'history.jsonl'), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
      const finalOffsets = await topicOffsets(admin, topic);
      const deletedBefore: Positions = {};
      for (const [p, start] of Object.entries(finalOffsets.logStart)) {
        if (start > (produced.logStart[Number(p)] ?? 0)) deletedBefore[Number(p)] = start;
      }
      const claims: Record<string, Guarantee> = {};
      const members: Record<string, string[]> = {};
      for (const i of instances) {
        const row = rowName(i.spec);
        claims[row] = strategyInfo(i.spec.strategy, i.spec.options).claims;
        (members[row] ??= []).push(i.name);
      }
      const checked = check({ claims, members, events, logStartOffsets: produced.logStart, endOffsets: end, deletedBefore });
      const predictions = scenario.predict(knobs);
      const strategies: StrategyResult[] = checked.strategies.map((s) => {
        const rowMembers = instances.filter((i) => rowName(i.spec) === s.strategy);
        const instance = rowMembers[0]!;
        const predicted = predictions[s.strategy] ?? { lost: 0, duplicated: 0 };
        return {
          ...s,
          name: s.strategy,
          base: instance.spec.strategy,
          options: instance.spec.options ?? {},
          crashPlan: rowMembers.find((i) => i.crash)?.crash ?? null,
          predicted,
          matchesPrediction:
            matchesPrediction(s.lost, predicted.lost) &&
            matchesPrediction(s.duplicated, predicted.duplicated) &&
            matchesPrediction(s.lostByRetention, predicted.lostByRetention ?? 0),
          unplannedRebalances: scenario.rebalances === 'expected' ? 0 : rowMembers.reduce((n, i) => n + unplannedRebalances(events, i.name), 0),
        };
      });
      return { checked, strategies };
    });

    const runResult: RunResult = {
      scenario: scenario.name,
      runId,
      knobs,
      broker: describeBroker(options.broker),
      topic,
      crash: scenario.crash?.(knobs) ?? null,
      faults: [...faultsDuringRun, ...faults],
      strategies: result.strategies,
      verdict: result.checked.verdict,
      problems: result.checked.problems,
      matchesPrediction: result.strategies.every((s) => s.matchesPrediction),
      timings,
      resultsDir: workDir,
    };
    writeFileSync(join(workDir, 'result.json'), JSON.stringify(runResult, null, 2) + '\n');
    return runResult;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    supervisor.killAll();
    // A disposable broker goes away with everything on it; on anyone else's cluster the run
    // removes what it created, also after a failure or Ctrl-C.
    if (!options.broker.disposable) {
      options.onProgress?.('removing this run\'s topic and groups');
      for (const problem of await resources.cleanUp()) process.stderr.write(`warning: ${problem}\n`);
    }
    await admin.disconnect().catch(() => {});
  }
}

/** Waits for every child; a bad exit, the phase timeout or an abort kills the rest and throws. */
async function awaitAll(
  children: RunningChild[],
  options: RunOptions,
  judge: (exit: { code: number | null; signal: NodeJS.Signals | null }, child: RunningChild) => string | undefined,
): Promise<void> {
  const timeoutMs = options.phaseTimeoutMs ?? 90_000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`strategies still running after ${timeoutMs / 1000} s; see ${children.map((c) => c.logPath).join(', ')}`)), timeoutMs);
  });
  const aborted = new Promise<never>((_, reject) => {
    if (options.signal?.aborted) reject(new UserError('interrupted'));
    options.signal?.addEventListener('abort', () => reject(new UserError('interrupted')), { once: true });
  });
  try {
    await Promise.race([
      Promise.all(
        children.map(async (child) => {
          const problem = judge(await child.exited, child);
          if (problem) throw new Error(problem);
        }),
      ),
      timeout,
      aborted,
    ]);
  } catch (error) {
    for (const child of children) child.kill();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

function collectHistory(workDir: string, instances: Instance[]): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  for (const path of [join(workDir, 'history-runner.jsonl'), ...instances.map((i) => i.historyPath)]) {
    const { events: read, tornLines } = readJsonl(path);
    if (tornLines > 0) throw new HarnessArtifactError(`${path} has ${tornLines} torn line(s)`);
    events.push(...read);
  }
  return events;
}

function unplannedRebalances(events: HistoryEvent[], strategy: string): number {
  const joins = new Map<number, number>();
  for (const e of events) if (e.kind === 'joined' && e.strategy === strategy) joins.set(e.incarnation, (joins.get(e.incarnation) ?? 0) + 1);
  return [...joins.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
}


