import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import type { EventOf, HistoryEvent } from '../history/events.ts';
import { readJsonl } from '../history/jsonl.ts';
import { strategyModule } from '../strategies/registry.ts';
import type { Effect, EffectsReadBack } from '../strategies/strategy.ts';
import { HarnessArtifactError } from '../util/errors.ts';
import type { Instance } from './instances.ts';

/** Every history file of the run, runner's first; a torn line is a harness artifact (the sink write comes first). */
export function collectHistory(workDir: string, instances: readonly Instance[]): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  for (const path of [join(workDir, 'history-runner.jsonl'), ...instances.map((i) => i.historyPath)]) {
    // Appends in place: histories can hold millions of events (never spread them).
    const { tornLines, firstProblem } = readJsonl(path, events);
    if (tornLines > 0) throw new HarnessArtifactError(`${path} has ${tornLines} torn or malformed line(s); the first: ${firstProblem}`);
  }
  return events;
}

/** The merged history, for people and tools that read one file. */
export function writeMergedHistory(workDir: string, events: readonly HistoryEvent[]): void {
  writeFileSync(join(workDir, 'history.jsonl'), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
}

/**
 * Reads each row's effects back from the store its strategy keeps them in (a database file,
 * an output topic), after every process of the row has exited. Rows whose strategy has no
 * store of its own are absent: their history is their sink.
 */
export async function readRowEffects(
  instances: readonly Instance[],
  events: readonly HistoryEvent[],
  { workDir, topic, kafka }: { workDir: string; topic: string; kafka: Kafka },
): Promise<Map<string, EffectsReadBack>> {
  const produced: Effect[] = [];
  for (const e of events) if (e.kind === 'produced') produced.push(producedEffect(e));
  const read = new Map<string, EffectsReadBack>();
  for (const instance of instances) {
    if (read.has(instance.row)) continue;
    const module = strategyModule(instance.choice.strategy);
    if (!module.readEffects) continue;
    const place = { workDir, instance: instance.name, row: instance.row, topic, ...(instance.outputTopic ? { outputTopic: instance.outputTopic } : {}) };
    // The module's options type is the one of its own strategy (the union is keyed by name).
    read.set(instance.row, await module.readEffects({ ...place, kafka, produced }, (instance.choice.options ?? {}) as never));
  }
  return read;
}

const producedEffect = (e: EventOf<'produced'>): Effect => ({ partition: e.partition, offset: e.offset, seq: e.seq });
