import type { Trigger } from '../consumer/protocol.ts';
import type { Fault, LiveContext } from './fault.ts';

/**
 * The shape of a fault that happens while the consumers run: every instance holds right
 * after message `atProcessed`; when all hold, `act` runs (it may `release` them early, e.g. to
 * let them go on while a broker is down); they are released when it ends, or fails.
 */
export function holdEveryone(
  { name, atProcessed, requires }: { name: string; atProcessed: number; requires?: Fault['requires'] },
  act: (live: LiveContext, release: () => void) => Promise<void>,
): Fault {
  const held = new Map<string, Trigger>();
  let started = false;
  return {
    name,
    ...(requires ? { requires } : {}),
    triggers: () => [{ point: 'mid-batch', atProcessed, action: 'hold' }],
    reached: async (instance, trigger, live) => {
      held.set(instance, trigger);
      if (started || held.size < live.instances.length) return;
      started = true;
      const release = () => {
        for (const [member, t] of held) live.proceed(member, t);
      };
      try {
        await act(live, release);
      } catch (error) {
        live.fail(error);
      } finally {
        release();
      }
    },
  };
}
