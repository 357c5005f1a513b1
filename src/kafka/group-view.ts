import type { Admin } from 'kafkajs';
import type { HistoryEvent, Positions } from '../history/events.ts';
import type { SavedVia } from '../strategies/strategy.ts';
import { topicOffsets } from './topic.ts';

/** One consumer group as Kafka sees it after the run, next to what the strategy itself saved. */
export interface GroupView {
  /** The table row (instances sharing a group share a row). */
  row: string;
  group: string;
  /** Committed offset (the next to read) per partition, as the broker reports it; a partition absent: no commit. */
  committed: Positions;
  /** The topic's end offsets when the view was read. */
  end: Positions;
  /** Σ (end − committed) over the partitions with a commit (what kafka-consumer-groups shows as LAG); null: no commit at all. */
  lag: number | null;
  /** The positions the strategy last saved, wherever it saves them (from the history); null: it never saved. */
  believed: { via: SavedVia; positions: Positions } | null;
}

/**
 * Reads each group's committed offsets (admin fetchOffsets) and the topic's end offsets from
 * the broker. Called after the drain and before any clean-up, so it is what Kafka's own
 * tools would show for this run.
 */
export async function readKafkaView(
  admin: Admin,
  topic: string,
  groups: ReadonlyArray<{ row: string; group: string; instances: readonly string[] }>,
  events: readonly HistoryEvent[],
): Promise<GroupView[]> {
  const { end } = await topicOffsets(admin, topic);
  const views: GroupView[] = [];
  for (const { row, group, instances } of groups) {
    const committed: Positions = {};
    const [fetched] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    for (const p of fetched?.partitions ?? []) if (Number(p.offset) >= 0) committed[p.partition] = Number(p.offset);
    const partitions = Object.keys(committed).map(Number);
    const lag = partitions.length === 0 ? null : partitions.reduce((sum, p) => sum + Math.max(0, (end[p] ?? 0) - committed[p]!), 0);
    views.push({ row, group, committed, end, lag, believed: lastSaved(events, instances) });
  }
  return views;
}

/** Per partition, the last position any of these instances saved (by time), and how the last save was made. */
export function lastSaved(events: readonly HistoryEvent[], instances: readonly string[]): GroupView['believed'] {
  const saves = events
    .filter((e): e is Extract<HistoryEvent, { kind: 'saved' }> => e.kind === 'saved' && instances.includes(e.strategy))
    .sort((a, b) => a.time - b.time);
  if (saves.length === 0) return null;
  const positions: Positions = {};
  for (const save of saves) Object.assign(positions, save.positions);
  return { via: saves.at(-1)!.via, positions };
}

/** The groups of a run's instances, one per row. */
export function groupsOf(instances: ReadonlyArray<{ name: string; row: string; groupId: string }>): Array<{ row: string; group: string; instances: string[] }> {
  const byGroup = new Map<string, { row: string; group: string; instances: string[] }>();
  for (const i of instances) {
    const entry = byGroup.get(i.groupId) ?? { row: i.row, group: i.groupId, instances: [] };
    entry.instances.push(i.name);
    byGroup.set(i.groupId, entry);
  }
  return [...byGroup.values()];
}
