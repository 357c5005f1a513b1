/**
 * Scenarios a client cannot run as the lab counts them, and why. The command line refuses
 * them before anything starts (exit 2) and `all` skips them with the same reason, as it does
 * scenarios that need another broker (src/cli/broker-needs.ts). A row a client cannot run
 * inside a scenario that it can is the strategy's `unsupportedOn` instead.
 */
import type { ClientName } from '../src/consumer/clients.ts';
import { retentionGapOnPlatformatic } from './retention-gap.ts';

const refusals: Record<string, Partial<Record<ClientName, string>>> = {
  'retention-gap': { platformatic: retentionGapOnPlatformatic },
};

/** Why this scenario cannot run on this client, or undefined when it can. */
export function unsupportedClientReason(scenario: string, client: ClientName): string | undefined {
  return refusals[scenario]?.[client];
}
