import { claimIds, type ClaimId } from './claims.ts';
import type { ClaimInputs, ClaimVerdict, VerdictFunction } from './evidence.ts';
import { C1, C2, C3, C4, C5, G1, G2, S } from './verdicts-kafka.ts';
import { B1, B2, B3, B4, D1, D2, D3, D4 } from './verdicts-saving.ts';

/** One verdict function per claim (a claim without one does not compile). */
export const verdictFunctions: Record<ClaimId, VerdictFunction> = { B1, B2, B3, B4, D1, D2, D3, D4, S, C1, C2, C3, C4, C5, G1, G2 };

/** The scenarios whose rows the verdicts read (save-cost is measured separately). */
export const evidenceScenarios = [
  'crash-mid-batch',
  'commit-before-process',
  'auto-commit-async',
  'off-by-one-commit',
  'torn-checkpoint',
  'checkpoint-lost',
  'stale-checkpoint',
  'two-services',
  'rebalance-handoff',
  'zombie-consumer',
  'the-right-way',
  'crash-during-save',
  'seek-replay',
] as const;

export function judgeClaims(inputs: ClaimInputs): ClaimVerdict[] {
  return claimIds.map((id) => verdictFunctions[id](inputs));
}
