import type { ScenarioDefinition } from '../src/runner/scenario.ts';
import commitBeforeProcess from './commit-before-process.ts';
import crashMidBatch from './crash-mid-batch.ts';
import tornCheckpoint from './torn-checkpoint.ts';

/** The catalogue: one file per scenario, listed in teaching order. */
export const scenarios: readonly ScenarioDefinition[] = [crashMidBatch, commitBeforeProcess, tornCheckpoint];

export function findScenario(name: string): ScenarioDefinition | undefined {
  return scenarios.find((s) => s.name === name);
}
