import type { Admin, Kafka } from 'kafkajs';
import type { CheckResult } from '../checker/check.ts';
import { CheckFold } from '../checker/check-fold.ts';
import type { ClientName } from '../consumer/clients.ts';
import type { Guarantee, HistoryEvent, Positions } from '../history/events.ts';
import { forEachRunEvent, runHistoryFiles } from '../history/run-files.ts';
import { topicOffsets } from '../kafka/topic.ts';
import { strategyInfo } from '../strategies/registry.ts';
import { readRowEffects } from './collect.ts';
import type { Instance } from './instances.ts';
import { groupsOf, readKafkaView } from '../kafka/group-view.ts';
import { resultRows } from './rows.ts';
import type { StrategyResult } from './run-result.ts';
import type { AnyScenario } from './scenario.ts';

/**
 * The check phase: what survived (every history file, streamed, each row's effects read back from its
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
  // One streaming pass over the history files: the checker folds every event; the few events
  // that are not per message (joins, saves, crashes …) are kept for the report's other parts.
  const fold = new CheckFold({ claims, members, logStartOffsets: logStartAtProduce, endOffsets: finalOffsets.end, deletedBefore });
  const lifecycle: HistoryEvent[] = [];
  forEachRunEvent(runHistoryFiles(workDir, instances.map((i) => i.name)), (e) => {
    fold.add(e);
    if (e.kind !== 'produced' && e.kind !== 'processed') lifecycle.push(e);
  });
  const effects = await readRowEffects(instances, fold.index, { workDir, topic, kafka });
  const checked = fold.finish(Object.fromEntries([...effects].map(([row, read]) => [row, read.effects])));
  const rows = resultRows(checked, instances, lifecycle, scenario.predict(knobs, { client }), effects, { rebalances: scenario.rebalances });
  const kafkaView = await readKafkaView(admin, topic, groupsOf(instances), lifecycle);
  return { checked, rows, kafkaView };
}
