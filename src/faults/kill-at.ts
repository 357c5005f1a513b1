import type { CrashPointName } from '../history/events.ts';
import type { Fault } from './fault.ts';
import { othersFinishTheirShare } from './others-finish.ts';

/**
 * SIGKILL at an exact point of a consumer's life: the process kills itself when it reaches
 * message `atProcessed` at `point` (no finally, no goodbye to the group). What a kill
 * "during" a save leaves behind is the strategy's own save (a torn file, an open database
 * transaction, an unsent commit). Instances that die as planned are restarted to drain.
 *
 * `othersFinishFirst`: the instance holds at its point, still a member of its group, until the
 * rest of its group has read its own share to the end, and then kills itself there. What the
 * survivor redoes after the rebalance is then exactly what moved, however fast it is.
 */
export function killAt({ point, atProcessed, instances, othersFinishFirst = false }: { point: CrashPointName; atProcessed: number; instances?: readonly string[]; othersFinishFirst?: boolean }): Fault {
  const targets = (name: string) => instances === undefined || instances.includes(name);
  if (othersFinishFirst && point === 'during-save') throw new Error('killAt: a save cannot wait halfway for the rest of the group');
  return {
    name: `kill at ${point} @ ${atProcessed}`,
    triggers: (instance) => (targets(instance.name) ? [{ point, atProcessed, action: 'die', ...(othersFinishFirst && { liveHold: true as const }) }] : []),
    reached: async (instance, trigger, live) => {
      await othersFinishTheirShare(instance, live);
      live.note(`${instance} dies at its message ${atProcessed}, the rest of its group having finished its own share`);
      live.proceed(instance, trigger);
    },
    judgeExit: (instance, exit) => {
      if (!targets(instance)) return undefined;
      if (exit.signal === 'SIGKILL') return 'restart';
      return { problem: `${instance} exited (${exit.signal ?? `code ${exit.code}`}) before its crash point (${point} @ ${atProcessed})` };
    },
  };
}
