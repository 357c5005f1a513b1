import type { RunningChild } from './supervisor.ts';

/**
 * Holds the members of a shared consumer group at the start line: each joins paused, and
 * all are released together once their latest assignments split every partition between
 * them. Without it the first member to join consumes alone until the others arrive, and the
 * counts would depend on process start-up times instead of the strategy.
 */
export class GroupGate {
  private readonly groupOf = new Map<string, string>();
  private readonly members = new Map<string, string[]>();
  private readonly partitionCount: number;
  private readonly assignments = new Map<string, number[]>();
  private readonly children = new Map<string, RunningChild>();
  private readonly released = new Set<string>();

  constructor(instances: Array<{ instance: string; group: string }>, partitionCount: number) {
    this.partitionCount = partitionCount;
    for (const { instance, group } of instances) {
      this.groupOf.set(instance, group);
      this.members.set(group, [...(this.members.get(group) ?? []), instance]);
    }
  }

  track(instance: string, child: RunningChild): void {
    this.children.set(instance, child);
  }

  joined(instance: string, partitions: number[]): void {
    this.assignments.set(instance, partitions);
    const group = this.groupOf.get(instance);
    if (!group || this.released.has(group)) return;
    const members = this.members.get(group) ?? [];
    const taken = members.flatMap((m) => this.assignments.get(m) ?? []);
    const everyoneHasWork = members.every((m) => (this.assignments.get(m)?.length ?? 0) > 0);
    const splitExactly = taken.length === this.partitionCount && new Set(taken).size === this.partitionCount;
    if (everyoneHasWork && splitExactly) {
      this.released.add(group);
      for (const m of members) this.children.get(m)?.send({ type: 'go' });
    }
  }
}
