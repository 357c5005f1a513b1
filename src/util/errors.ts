/**
 * Errors the user can act on. The CLI prints `message` (and `hint`) on one line each,
 * without a stack trace, and exits with `exitCode`.
 */
export const ExitCode = {
  ok: 0,
  /** The run finished but a count differs from what the mechanism predicts. */
  unexpectedCounts: 1,
  /** Bad command line: unknown scenario, bad flag, invalid value. */
  usage: 2,
  /** The environment cannot run the harness: Java/Maven missing, broker not ready, port in use. */
  environment: 3,
  /** Interrupted by Ctrl-C (128 + SIGINT). */
  interrupted: 130,
} as const;

export class UserError extends Error {
  readonly hint: string | undefined;
  readonly exitCode: number;
  constructor(message: string, options: { hint?: string; exitCode?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'UserError';
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? ExitCode.usage;
  }
}

export class EnvironmentError extends UserError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, { ...options, exitCode: ExitCode.environment });
    this.name = 'EnvironmentError';
  }
}

/** A count or event that only a bug in the harness could cause: never shown as a lesson. */
export class HarnessArtifactError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HarnessArtifactError';
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
