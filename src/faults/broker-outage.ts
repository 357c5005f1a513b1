import type { Trigger } from '../consumer/protocol.ts';
import { sleep } from '../util/wait-for.ts';
import type { Fault } from './fault.ts';

/**
 * The broker dies while the consumers run: every instance holds right after message
 * `atProcessed`; when all hold, the broker's JVM is SIGKILLed, the consumers go on with what
 * they had fetched, and the broker is started again on the same data and port.
 */
export function brokerOutage({ atProcessed, downMs = 500 }: { atProcessed: number; downMs?: number }): Fault {
  const held = new Map<string, Trigger>();
  let started = false;
  return {
    name: `broker outage @ ${atProcessed}`,
    requires: { restartableBroker: true },
    triggers: () => [{ point: 'mid-batch', atProcessed, action: 'hold' }],
    reached: async (instance, trigger, live) => {
      held.set(instance, trigger);
      if (started || held.size < live.instances.length) return;
      started = true;
      const release = () => {
        for (const [name, t] of held) live.proceed(name, t);
      };
      try {
        const { crash, restart } = live.broker;
        if (!crash || !restart) throw new Error('a broker outage needs a broker the harness started (--broker local)');
        await crash();
        live.note('SIGKILL the broker while the consumers run');
        release(); // the consumers go on while the broker is down
        await sleep(downMs);
        const readyMs = await restart();
        live.note(`broker restarted on the same data, ready after ${(readyMs / 1000).toFixed(1)} s`);
      } catch (error) {
        live.fail(error);
      } finally {
        release();
      }
    },
  };
}
