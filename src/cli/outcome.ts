/** What a finished run's results mean for the exit code. */
import type { RunResult } from '../runner/run-result.ts';
import { ExitCode, HarnessError } from '../util/errors.ts';

export interface Outcome {
  exitCode: number;
  /** Said on stderr after the report: the history cannot be trusted, which is ours to fix. */
  failure?: HarnessError;
}

/**
 * 0 when every count is as predicted, 1 when one differs, 4 when a history is not
 * trustworthy (its counts mean nothing: a harness problem, never a lesson). `shown` turns a
 * results folder into the path the user sees.
 */
export function outcomeOf(results: readonly Pick<RunResult, 'scenario' | 'verdict' | 'problems' | 'strategies' | 'matchesPrediction' | 'resultsDir'>[], shown: (dir: string) => string = (d) => d): Outcome {
  const untrustworthy = results.filter((r) => r.verdict === 'unknown');
  if (untrustworthy.length > 0) {
    const first = untrustworthy[0]!;
    const problem =
      first.problems[0] ??
      first.strategies.flatMap((s) => s.problems.map((p) => `${s.name}: ${p}`))[0] ??
      'see the problems under the table';
    const failure = new HarnessError(
      `the history of ${untrustworthy.map((r) => r.scenario).join(', ')} is not trustworthy (${problem})`,
      untrustworthy.map((r) => shown(r.resultsDir)),
    );
    return { exitCode: ExitCode.harness, failure };
  }
  return { exitCode: results.every((r) => r.matchesPrediction) ? ExitCode.ok : ExitCode.unexpectedCounts };
}
