import type { Admin, Kafka } from 'kafkajs';
import { check, type CheckResult } from '../checker/check.ts';
import type { ClientName } from '../consumer/clients.ts';
import type { Guarantee, Positions } from '../history/events.ts';
import { topicOffsets } from '../kafka/topic.ts';
import { strategyInfo } from '../strategies/registry.ts';
import { collectHistory, readRowEffects, writeMergedHistory } from './collect.ts';
import type { Instance } from './instances.ts';
import { groupsOf, readKafkaView } from '../kafka/group-view.ts';
import { resultRows } from './rows.ts';
import type { StrategyResult } from './run-result.ts';
import type { AnyScenario } from './scenario.ts';

/**
 * The check phase: what survived (every history file, each row's effects read back from its
 * own store, the topic's offsets now) goes through the pure checker, and each row is set
 * beside its prediction; what Kafka's own tools would show is read before any clean-up.
 */
export async function checkRun({
  scenario,
  knobs,
  client,
  instances,
  workDir,
  topic,
  kafka,
  admin,
  logStartAtProduce,
}: {
  scenario: AnyScenario;
  knobs: Readonly<Record<string, number>>;
  client: ClientName;
  instances: readonly Instance[];
  workDir: string;
  topic: string;
  kafka: Kafka;
  admin: Admin;
  logStartAtProduce: Positions;
}): Promise<{ checked: CheckResult; rows: StrategyResult[]; kafkaView: Awaited<ReturnType<typeof readKafkaView>> }> {
  const events = collectHistory(workDir, instances);
  writeMergedHistory(workDir, events);
  const effects = await readRowEffects(instances, events, { workDir, topic, kafka });
  const finalOffsets = await topicOffsets(admin, topic);
  // Records the broker deleted during the run (retention) are not the strategy's loss.
  const deletedBefore: Positions = {};
  for (const [p, start] of Object.entries(finalOffsets.logStart)) {
    if (start > (logStartAtProduce[Number(p)] ?? 0)) deletedBefore[Number(p)] = start;
  }
  const claims: Record<string, Guarantee> = {};
  const members: Record<string, string[]> = {};
  for (const i of instances) {
    claims[i.row] = strategyInfo(i.choice).claims;
    (members[i.row] ??= []).push(i.name);
  }
  const rowEffects = Object.fromEntries([...effects].map(([row, read]) => [row, read.effects]));
  const checked = check({ claims, members, events, effects: rowEffects, logStartOffsets: logStartAtProduce, endOffsets: finalOffsets.end, deletedBefore });
  const rows = resultRows(checked, instances, events, scenario.predict(knobs, { client }), effects, { rebalancesExpected: scenario.rebalances === 'expected' });
  const kafkaView = await readKafkaView(admin, topic, groupsOf(instances), events);
  return { checked, rows, kafkaView };
}
