import type { Kafka } from 'kafkajs';
import type { MessageIndex } from '../checker/message-index.ts';
import { strategyModule } from '../strategies/registry.ts';
import type { Effect, EffectsReadBack } from '../strategies/strategy.ts';
import type { Instance } from './instances.ts';

/**
 * Reads each row's effects back from the store its strategy keeps them in (a database file,
 * an output topic), after every process of the row has exited. Rows whose strategy has no
 * store of its own are absent: their history is their sink.
 */
export async function readRowEffects(
  instances: readonly Instance[],
  index: MessageIndex,
  { workDir, topic, kafka }: { workDir: string; topic: string; kafka: Kafka },
): Promise<Map<string, EffectsReadBack>> {
  let produced: Effect[] | undefined;
  const read = new Map<string, EffectsReadBack>();
  for (const instance of instances) {
    if (read.has(instance.row)) continue;
    const module = strategyModule(instance.choice.strategy);
    if (!module.readEffects) continue;
    // Only rows with a store of their own need the produced messages as objects.
    produced ??= producedEffects(index);
    const place = { workDir, instance: instance.name, row: instance.row, topic, ...(instance.outputTopic ? { outputTopic: instance.outputTopic } : {}) };
    // The module's options type is the one of its own strategy (the union is keyed by name).
    read.set(instance.row, await module.readEffects({ ...place, kafka, produced }, (instance.choice.options ?? {}) as never));
  }
  return read;
}

function producedEffects(index: MessageIndex): Effect[] {
  const produced: Effect[] = [];
  index.forEachProduced((_slot, partition, offset, seq) => void produced.push({ partition, offset, seq }));
  return produced;
}
