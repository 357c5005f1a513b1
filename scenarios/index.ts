import type { ScenarioDefinition } from '../src/runner/scenario.ts';
import crashMidBatch from './crash-mid-batch.ts';

/** The catalogue: one file per scenario, listed in teaching order. */
export const scenarios: readonly ScenarioDefinition[] = [crashMidBatch];

export function findScenario(name: string): ScenarioDefinition | undefined {
  return scenarios.find((s) => s.name === name);
}
