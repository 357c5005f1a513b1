import type { RunResult } from '../runner/run-result.ts';
import type { Text } from '../strategies/strategy.ts';
import type { SaveCostResult } from '../timing/save-cost.ts';
import type { ClaimId } from './claims.ts';

/** What a verdict reads of one row of a run: counts, never text. */
export interface RowCounts {
  produced: number;
  lost: number;
  duplicated: number;
  duplicatedDeliveries: number;
  delivered: number;
}

/** What the verdicts read: the rows of each scenario run, and the save-cost medians. */
export interface ClaimInputs {
  runs: Partial<Record<string, Record<string, RowCounts>>>;
  saveCost?: Pick<SaveCostResult, 'intervals' | 'rows'>;
}

export type VerdictKind = 'holds' | 'does-not-hold' | 'holds-only-when' | 'not-measured';

/** One measured fact a verdict rests on: scenario, row, numbers from this run. */
export interface EvidenceLine {
  scenario: string;
  row: string;
  numbers: string;
}

export interface ClaimVerdict {
  id: ClaimId;
  kind: VerdictKind;
  /** For holds-only-when: the condition; for the others, an optional qualification. */
  condition?: Text;
  evidence: EvidenceLine[];
}

/** A claim's verdict: a pure function of the measured numbers. */
export type VerdictFunction = (inputs: ClaimInputs) => ClaimVerdict;

/** A row or a scenario the verdict needs was not in this run. */
export class MissingEvidence extends Error {}

export function countsOf(result: Pick<RunResult, 'strategies'>): Record<string, RowCounts> {
  return Object.fromEntries(
    result.strategies.map((s) => [s.name, { produced: s.produced, lost: s.lost, duplicated: s.duplicated, duplicatedDeliveries: s.duplicatedDeliveries, delivered: s.delivered }]),
  );
}

/**
 * Reads rows for one verdict and records each read as an evidence line, so the evidence is
 * exactly the numbers the verdict used.
 */
export class Reader {
  readonly evidence: EvidenceLine[] = [];
  private readonly inputs: ClaimInputs;
  constructor(inputs: ClaimInputs) {
    this.inputs = inputs;
  }

  row(scenario: string, row: string): RowCounts {
    const counts = this.inputs.runs[scenario]?.[row];
    if (!counts) throw new MissingEvidence(`${scenario}/${row}`);
    const deliveries = counts.duplicatedDeliveries !== counts.duplicated ? `, duplicated deliveries ${counts.duplicatedDeliveries}` : '';
    this.evidence.push({ scenario, row, numbers: `lost ${counts.lost}, duplicated ${counts.duplicated}${deliveries} (of ${counts.produced})` });
    return counts;
  }

  /** Median messages/second of a save mode at an interval. */
  rate(mode: string, interval: number): number {
    const found = this.inputs.saveCost?.rows.find((r) => r.mode === mode && r.interval === interval);
    if (!found) throw new MissingEvidence(`save-cost/${mode}@${interval}`);
    this.evidence.push({ scenario: 'save-cost', row: `${mode}, every ${interval}`, numbers: `${found.median} msg/s (median, timing)` });
    return found.median;
  }

  /** The smallest and largest save intervals measured. */
  intervals(): [number, number] {
    const all = this.inputs.saveCost?.intervals ?? [];
    if (all.length < 2) throw new MissingEvidence('save-cost with two intervals');
    return [Math.min(...all), Math.max(...all)];
  }
}

/** Runs a verdict body; a missing row or scenario gives 'not-measured' with what was read so far. */
export function verdict(id: ClaimId, inputs: ClaimInputs, body: (read: Reader) => Omit<ClaimVerdict, 'id' | 'evidence'>): ClaimVerdict {
  const read = new Reader(inputs);
  try {
    return { id, ...body(read), evidence: read.evidence };
  } catch (error) {
    if (!(error instanceof MissingEvidence)) throw error;
    return { id, kind: 'not-measured', condition: { en: `missing: ${error.message}`, zh: `缺少：${error.message}` }, evidence: read.evidence };
  }
}

export const holds = (condition?: Text) => ({ kind: 'holds' as const, ...(condition ? { condition } : {}) });
export const doesNotHold = (condition?: Text) => ({ kind: 'does-not-hold' as const, ...(condition ? { condition } : {}) });
export const holdsOnlyWhen = (condition: Text) => ({ kind: 'holds-only-when' as const, condition });
