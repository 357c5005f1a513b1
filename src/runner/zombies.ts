import type { RunningChild } from './supervisor.ts';

/**
 * Makes zombies: when an instance reports that it reached its freeze point, it is stopped
 * with SIGSTOP (sockets open, no heartbeats: the group evicts it after its session timeout),
 * and continued with SIGCONT once every other member of its group has exited, i.e. has
 * taken over the frozen member's partitions and drained them.
 */
export class Zombies {
  private readonly groupOf = new Map<string, string>();
  private readonly children = new Map<string, RunningChild>();
  private readonly note: (description: string) => void;

  constructor(instances: Array<{ instance: string; group: string }>, note: (description: string) => void) {
    for (const { instance, group } of instances) this.groupOf.set(instance, group);
    this.note = note;
  }

  track(instance: string, child: RunningChild): void {
    this.children.set(instance, child);
  }

  async hold(instance: string): Promise<void> {
    const child = this.children.get(instance);
    if (!child) return;
    child.signal('SIGSTOP');
    this.note(`SIGSTOP ${instance} before it saves (frozen: no heartbeats)`);
    const group = this.groupOf.get(instance);
    const others = [...this.children].filter(([name]) => name !== instance && this.groupOf.get(name) === group).map(([, c]) => c);
    await Promise.all(others.map((other) => other.exited));
    child.signal('SIGCONT');
    this.note(`SIGCONT ${instance} after the rest of its group took over and finished`);
    child.send({ type: 'continue' });
  }
}
