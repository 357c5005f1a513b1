import { sleep } from '../util/wait-for.ts';
import type { Fault } from './fault.ts';
import { holdEveryone } from './hold-everyone.ts';

/**
 * The broker dies while the consumers run: every instance holds right after message
 * `atProcessed`; when all hold, the broker's JVM is SIGKILLed, the consumers go on with what
 * they had fetched, and the broker is started again on the same data and port.
 */
export function brokerOutage({ atProcessed, downMs = 500 }: { atProcessed: number; downMs?: number }): Fault {
  return holdEveryone({ name: `broker outage @ ${atProcessed}`, atProcessed, requires: { restartableBroker: true } }, async (live, release) => {
    const { crash, restart } = live.broker;
    if (!crash || !restart) throw new Error('a broker outage needs a broker the harness started (--broker local)');
    await crash();
    live.note('SIGKILL the broker while the consumers run');
    release(); // the consumers go on while the broker is down
    await sleep(downMs);
    const readyMs = await restart();
    live.note(`broker restarted on the same data, ready after ${(readyMs / 1000).toFixed(1)} s`);
  });
}
