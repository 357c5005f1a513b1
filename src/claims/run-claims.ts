import { join } from 'node:path';
import { findScenario } from '../../scenarios/index.ts';
import type { StartedBroker } from '../broker/broker.ts';
import type { RunResult } from '../runner/run-result.ts';
import { runScenario } from '../runner/run-scenario.ts';
import { measureSaveCost, type SaveCostOptions, type SaveCostResult } from '../timing/save-cost.ts';
import { countsOf, type ClaimInputs, type ClaimVerdict } from './evidence.ts';
import { evidenceScenarios, judgeClaims } from './verdicts.ts';

export interface ClaimsRun {
  results: RunResult[];
  saveCost: SaveCostResult;
  verdicts: ClaimVerdict[];
  elapsedMs: number;
}

/**
 * Runs every scenario the verdicts read (with its defaults) and save-cost, one after
 * another on one started broker, then derives every claim's verdict from those numbers.
 */
export async function runClaims(
  { broker, workDir, saveCost, onProgress, signal }: { broker: StartedBroker; workDir: string; saveCost: SaveCostOptions; onProgress?: (text: string) => void; signal?: AbortSignal },
): Promise<ClaimsRun> {
  const began = performance.now();
  const results: RunResult[] = [];
  for (const name of evidenceScenarios) {
    const scenario = findScenario(name);
    if (!scenario) throw new Error(`claims: no scenario ${name} in the catalogue`);
    onProgress?.(`${name} (${results.length + 1}/${evidenceScenarios.length + 1})`);
    results.push(await runScenario(scenario, scenario.defaults, { broker, workDir: join(workDir, name), ...(signal ? { signal } : {}) }));
  }
  onProgress?.(`save-cost (${evidenceScenarios.length + 1}/${evidenceScenarios.length + 1})`);
  const cost = await measureSaveCost(saveCost, { broker, workDir: join(workDir, 'save-cost'), ...(onProgress ? { onProgress } : {}), ...(signal ? { signal } : {}) });
  return { results, saveCost: cost, verdicts: judgeClaims(claimInputsOf(results, cost)), elapsedMs: Math.round(performance.now() - began) };
}

export function claimInputsOf(results: readonly RunResult[], saveCost: SaveCostResult): ClaimInputs {
  return { runs: Object.fromEntries(results.map((r) => [r.scenario, countsOf(r)])), saveCost };
}
