/**
 * Scenarios (or knob values of them) a client cannot run as the lab counts them, and why. The
 * command line refuses them before anything starts (exit 2) and `all` skips them with the same
 * reason, as it does scenarios that need another broker (src/cli/broker-needs.ts). A row a
 * client cannot run inside a scenario that it can is the strategy's `unsupportedOn` instead.
 */
import type { ClientName } from '../src/consumer/clients.ts';
import type { Knobs } from '../src/runner/scenario.ts';
import { retentionGapOnPlatformatic } from './retention-gap.ts';

type Refusal = (k: Knobs) => string | undefined;

/**
 * @platformatic/kafka parses a fetch response and pushes its records into the stream in one go;
 * no heartbeat timer fires meanwhile. With 10 000 messages per partition on the 2-core machine
 * under load, members of the two-member scenarios were silent past their 1.5 s session and the
 * group evicted them: a rebalance no lesson plans (the delivery loop itself yields; the parse
 * cannot). Up to 5 000 per partition the runs matched their predictions.
 */
export const platformaticPartitionLimit = 5000;
const bigFetches: Refusal = (k) =>
  k.messages / k.partitions > platformaticPartitionLimit
    ? `on @platformatic/kafka one fetch of a partition is parsed and pushed at once, with no heartbeat meanwhile: more than ${platformaticPartitionLimit} messages per partition (here ${Math.ceil(k.messages / k.partitions)}) silenced members past their session on a 2-core machine and the group evicted them, a rebalance the lesson does not plan; use fewer messages, more partitions or --client kafkajs`
    : undefined;

const refusals: Record<string, Partial<Record<ClientName, Refusal>>> = {
  'retention-gap': { platformatic: () => retentionGapOnPlatformatic },
  'rebalance-handoff': { platformatic: bigFetches },
  'rebalance-right-way': { platformatic: bigFetches },
  'zombie-consumer': { platformatic: bigFetches },
  'zombie-right-way': { platformatic: bigFetches },
};

/** Why this scenario cannot run on this client with these knobs, or undefined when it can. */
export function unsupportedClientReason(scenario: string, client: ClientName, knobs: Knobs): string | undefined {
  return refusals[scenario]?.[client]?.(knobs);
}
