import type { CheckResult } from '../checker/check.ts';
import type { CrashPlan, HistoryEvent } from '../history/events.ts';
import type { EffectsReadBack } from '../strategies/strategy.ts';
import type { Instance } from './instances.ts';
import type { StrategyResult } from './run-result.ts';
import { matchesPrediction, type AnyScenario, type StrategyPrediction } from './scenario.ts';

/** The checker's rows with what the table needs beside them: the prediction, the crash plan, the effect store. */
export function resultRows(
  checked: CheckResult,
  instances: readonly Instance[],
  events: readonly HistoryEvent[],
  predictions: Record<string, StrategyPrediction>,
  effects: Map<string, EffectsReadBack>,
  { rebalances }: { rebalances: AnyScenario['rebalances'] },
): StrategyResult[] {
  return checked.strategies.map((s) => {
    const members = instances.filter((i) => i.row === s.strategy);
    const first = members[0]!;
    const predicted = predictions[s.strategy] ?? { lost: 0, duplicated: 0 };
    const store = effects.get(s.strategy);
    return {
      ...s,
      name: s.strategy,
      base: first.choice.strategy,
      options: first.choice.options ?? {},
      crashPlan: members.map(crashPlanOf).find((p) => p !== null) ?? null,
      predicted,
      matchesPrediction:
        matchesPrediction(s.lost, predicted.lost) &&
        matchesPrediction(s.duplicated, predicted.duplicated) &&
        matchesPrediction(s.lostByRetention, predicted.lostByRetention ?? 0) &&
        (predicted.duplicatedDeliveries === undefined || matchesPrediction(s.duplicatedDeliveries, predicted.duplicatedDeliveries)) &&
        // State kept beside the effects (a snapshot) is predicted right whenever it is checked.
        store?.state?.matches !== false &&
        (predicted.outcomes?.some((o) => o.lost === s.lost && o.duplicated === s.duplicated) ?? true),
      unplannedRebalances: members.reduce((n, i) => n + unplannedRebalances(events, i.name, rebalances), 0),
      ...(store ? { effectStore: { source: store.source, ...(store.state ? { state: store.state } : {}) } } : {}),
    };
  });
}

/** The instance's planned death, for the report. */
export function crashPlanOf(instance: Instance): CrashPlan | null {
  const die = instance.triggers.find((t) => t.action === 'die' && t.point !== 'joined');
  return die && die.point !== 'joined' ? { point: die.point, atProcessed: die.atProcessed ?? 0 } : null;
}

/**
 * Rejoins of one instance that its scenario did not plan. Without planned rebalances, every join
 * of a process after its first. With them (members come and go), a live member keeps its member
 * id through each rebalance; a new id means the group had removed it — its heartbeats stopped for
 * a whole session (a machine too busy) — or its client started over. A frozen zombie is removed
 * on purpose. `any`: the fault itself makes members rejoin as new ones (a coordinator killed).
 */
export function unplannedRebalances(events: readonly HistoryEvent[], instance: string, rebalances: AnyScenario['rebalances']): number {
  if (rebalances === 'any') return 0;
  const joins = new Map<number, number>();
  const member = new Map<number, string | undefined>();
  const frozen = new Set<number>();
  let removed = 0;
  for (const e of events) {
    if (e.kind === 'frozen' && e.strategy === instance) frozen.add(e.incarnation);
    if (e.kind !== 'joined' || e.strategy !== instance) continue;
    joins.set(e.incarnation, (joins.get(e.incarnation) ?? 0) + 1);
    const before = member.get(e.incarnation);
    if (before !== undefined && e.member !== undefined && e.member !== before && !frozen.has(e.incarnation)) removed++;
    member.set(e.incarnation, e.member);
  }
  if (rebalances === 'expected') return removed;
  return [...joins.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
}

