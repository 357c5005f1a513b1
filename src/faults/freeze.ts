import type { Fault } from './fault.ts';
import { othersFinishTheirShare } from './others-finish.ts';

/**
 * A zombie: the instance is frozen with SIGSTOP right before it saves after message
 * `atProcessed` (as in a long GC pause or a suspended VM: sockets open, no heartbeats, so the
 * group evicts it after its session timeout). Once every other member of its group has taken
 * over and exited, it gets SIGCONT and carries on with the save it was about to make.
 * Before the SIGSTOP it holds, still a member (heartbeating), until the rest of its group has
 * read its own share to the end: the survivor's work after the eviction is then exactly what
 * moved, however fast it is.
 */
export function freeze({ atProcessed, instances }: { atProcessed: number; instances: readonly string[] }): Fault {
  return {
    name: `freeze @ ${atProcessed}`,
    triggers: (instance) => (instances.includes(instance.name) ? [{ point: 'mid-batch', atProcessed, action: 'hold', record: 'frozen', liveHold: true }] : []),
    reached: async (instance, trigger, live) => {
      await othersFinishTheirShare(instance, live);
      live.signal(instance, 'SIGSTOP');
      live.note(`SIGSTOP ${instance} before it saves (frozen: no heartbeats)`);
      const row = live.instances.find((i) => i.name === instance)?.row;
      const others = live.instances.filter((i) => i.row === row && i.name !== instance); // they take over, drain and exit
      await Promise.all(others.map((other) => live.exited(other.name)));
      live.signal(instance, 'SIGCONT');
      live.note(`SIGCONT ${instance} after the rest of its group took over and finished`);
      live.proceed(instance, trigger);
    },
    // Kafka may fence the woken zombie: kafkajs then gives up on the rejected commit and the
    // process exits 1. Like any crashed consumer it is restarted (and finds little left to do).
    judgeExit: (instance, exit) => {
      if (!instances.includes(instance)) return undefined;
      if (exit.code === 0) return 'done';
      if (exit.code === 1) return 'restart';
      return { problem: `${instance} ended (${exit.signal ?? `code ${exit.code}`}) after it was frozen` };
    },
  };
}
