import type { CrashPointName } from '../history/events.ts';
import type { Fault } from './fault.ts';

/**
 * SIGKILL at an exact point of a consumer's life: the process kills itself when it reaches
 * message `atProcessed` at `point` (no finally, no goodbye to the group). What a kill
 * "during" a save leaves behind is the strategy's own save (a torn file, an open database
 * transaction, an unsent commit). Instances that die as planned are restarted to drain.
 */
export function killAt({ point, atProcessed, instances }: { point: CrashPointName; atProcessed: number; instances?: readonly string[] }): Fault {
  const targets = (name: string) => instances === undefined || instances.includes(name);
  return {
    name: `kill at ${point} @ ${atProcessed}`,
    triggers: (instance) => (targets(instance.name) ? [{ point, atProcessed, action: 'die' }] : []),
    judgeExit: (instance, exit) => {
      if (!targets(instance)) return undefined;
      if (exit.signal === 'SIGKILL') return 'restart';
      return { problem: `${instance} exited (${exit.signal ?? `code ${exit.code}`}) before its crash point (${point} @ ${atProcessed})` };
    },
  };
}
