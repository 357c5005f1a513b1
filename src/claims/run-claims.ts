import { join } from 'node:path';
import { findScenario } from '../../scenarios/index.ts';
import type { StartedBroker } from '../broker/broker.ts';
import type { RunResult } from '../runner/run-result.ts';
import { runScenario } from '../runner/run-scenario.ts';
import { longestFirst } from '../runner/scenario.ts';
import { inPool } from '../util/pool.ts';
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
 * Runs every scenario the verdicts read (with its defaults) on one started broker, `jobs` at a
 * time as `npm run scenario all` does (their waits are session timeouts; counts do not depend
 * on it) — or takes them from an earlier `all` run (`evidence`, from-run.ts) —, then save-cost
 * alone (a timing), and derives every claim's verdict from those numbers.
 */
export async function runClaims(
  { broker, workDir, saveCost, jobs = 3, evidence, onProgress, signal }: { broker: StartedBroker; workDir: string; saveCost: SaveCostOptions; jobs?: number; evidence?: RunResult[]; onProgress?: (text: string) => void; signal?: AbortSignal },
): Promise<ClaimsRun> {
  const began = performance.now();
  const results = [...(evidence ?? (await runEvidence({ broker, workDir, jobs, ...(onProgress ? { onProgress } : {}), ...(signal ? { signal } : {}) })))];
  onProgress?.(`save-cost (${results.length + 1}/${results.length + 1}), alone: it is a timing`);
  const cost = await measureSaveCost(saveCost, { broker, workDir: join(workDir, 'save-cost'), ...(onProgress ? { onProgress } : {}), ...(signal ? { signal } : {}) });
  // Reported in the verdicts' order, whatever order they ran in.
  const order: readonly string[] = evidenceScenarios;
  results.sort((a, b) => order.indexOf(a.scenario) - order.indexOf(b.scenario));
  return { results, saveCost: cost, verdicts: judgeClaims(claimInputsOf(results, cost)), elapsedMs: Math.round(performance.now() - began) };
}

async function runEvidence(
  { broker, workDir, jobs, onProgress, signal }: { broker: StartedBroker; workDir: string; jobs: number; onProgress?: (text: string) => void; signal?: AbortSignal },
): Promise<RunResult[]> {
  const scenarios = longestFirst(
    evidenceScenarios.map((name) => {
      const scenario = findScenario(name);
      if (!scenario) throw new Error(`claims: no scenario ${name} in the catalogue`);
      return { scenario };
    }),
  ).map((p) => p.scenario);
  let finished = 0;
  return inPool(scenarios, jobs, async (scenario) => {
    const result = await runScenario(scenario, scenario.defaults, { broker, workDir: join(workDir, scenario.name), ...(signal ? { signal } : {}) });
    onProgress?.(`${++finished}/${scenarios.length + 1} done (${scenario.name})`);
    return result;
  });
}

export function claimInputsOf(results: readonly RunResult[], saveCost: SaveCostResult): ClaimInputs {
  return { runs: Object.fromEntries(results.map((r) => [r.scenario, countsOf(r)])), saveCost };
}
