import type { ClientName } from '../consumer/clients.ts';
import type { Trigger } from '../consumer/protocol.ts';
import type { Fault, FaultTarget } from '../faults/fault.ts';
import type { RunResources } from '../kafka/run-resources.ts';
import { strategyModule } from '../strategies/registry.ts';
import type { StrategyChoice } from '../strategies/strategy.ts';
import { instanceSpecs, rowName, type AnyScenario, type InstanceSpec } from './scenario.ts';
import { instanceHistoryPath } from '../history/run-files.ts';

/** One consumer instance of a run: who it is, where it writes, what its first process does. */
export interface Instance extends FaultTarget {
  spec: InstanceSpec;
  /** The Kafka client its processes run on. */
  client: ClientName;
  historyPath: string;
  /** The row's output topic, for strategies that write their results to Kafka. */
  outputTopic?: string;
  /** What its first process does at points of its life (from the faults). */
  triggers: Trigger[];
}

/** Names every instance's group, files and topics. */
export function planInstances(scenario: AnyScenario, resources: RunResources, workDir: string, client: ClientName): Instance[] {
  return instanceSpecs(scenario).map((spec) => {
    const row = rowName(spec);
    return {
      spec,
      client: spec.client ?? client,
      name: spec.name,
      row,
      groupId: resources.groupName(row),
      // Only the strategy and its options cross into the strategy process.
      choice: (spec.options ? { strategy: spec.strategy, options: spec.options } : { strategy: spec.strategy }) as StrategyChoice,
      historyPath: instanceHistoryPath(workDir, spec.name),
      ...(strategyModule(spec.strategy).needsOutputTopic ? { outputTopic: resources.topicName(`${scenario.name}-out-${row}`) } : {}),
      triggers: [],
    };
  });
}

/**
 * Hands each instance the triggers the faults ask for, and returns which fault each trigger
 * (by id) belongs to: its `reached` hook is called when a process holds there.
 */
export function assignTriggers(instances: readonly Instance[], faults: readonly Fault[]): Map<string, Fault> {
  const ownerOf = new Map<string, Fault>();
  faults.forEach((fault, f) => {
    for (const instance of instances) {
      (fault.triggers?.(instance) ?? []).forEach((trigger, t) => {
        const id = `${f}.${t}@${instance.name}`;
        instance.triggers.push({ ...trigger, id });
        ownerOf.set(id, fault);
      });
    }
  });
  return ownerOf;
}
