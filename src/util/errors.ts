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
  /** A bug in the harness, a harness artifact, or a history that cannot be trusted: the user should report it. */
  harness: 4,
  /** Interrupted by Ctrl-C (128 + SIGINT). */
  interrupted: 130,
  /** Stopped by SIGTERM (128 + 15). */
  terminated: 143,
} as const;

/** The exit code of a run stopped by this signal. */
export const exitCodeForSignal = (signal: 'SIGINT' | 'SIGTERM') => (signal === 'SIGTERM' ? ExitCode.terminated : ExitCode.interrupted);

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

/**
 * What went wrong is ours, not the user's: said as such, with the folder(s) to send along.
 * Printed as is (the message already says "harness error").
 */
export class HarnessError extends UserError {
  readonly folders: readonly string[];
  constructor(detail: string, folders: readonly string[], options: { cause?: unknown } = {}) {
    const files = folders.length > 0 ? `the files in ${folders.join(' and ')}` : 'this output';
    super(`harness error: ${detail} — this is a bug in kafka-offset-lab, not in your environment; please report it with ${files}`, {
      exitCode: ExitCode.harness,
      cause: options.cause,
    });
    this.name = 'HarnessError';
    this.folders = folders;
  }
}

/** The lines the command line prints for a UserError (no stack trace). */
export function describeUserError(error: UserError): string[] {
  const first = error instanceof HarnessError ? error.message : `error: ${error.message}`;
  return error.hint ? [first, error.hint] : [first];
}

/** kafkajs errors that mean the cluster cannot be reached or refuses us (matched by name: kafkajs sets it). */
const kafkaEnvironmentErrors = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSBrokerNotFound',
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSSASLAuthenticationError',
]);

/** System error codes of the network, the disk and file permissions. */
const systemEnvironmentCodes = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EADDRINUSE',
  'ENOSPC', 'EDQUOT', 'EMFILE', 'ENFILE', 'EACCES', 'EROFS',
]);

/** The error and its causes, outermost first (kafkajs wraps the connection error in its retry error). */
function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e: unknown = error; e !== undefined && e !== null && chain.length < 10 && !chain.includes(e); e = (e as { cause?: unknown }).cause) {
    chain.push(e);
  }
  return chain;
}

/** Only what really is the environment: our own environment errors, an unreachable broker, the network, the disk. */
export function isEnvironmentFailure(error: unknown): boolean {
  return causeChain(error).some(
    (e) =>
      e instanceof EnvironmentError ||
      (e instanceof Error && kafkaEnvironmentErrors.has(e.name)) ||
      systemEnvironmentCodes.has(String((e as { code?: unknown }).code)),
  );
}

/** A harness artifact or a history/IPC value that does not fit the contract: never the environment's doing. */
const isHarnessFault = (error: unknown) =>
  causeChain(error).some((e) => e instanceof HarnessArtifactError || (e instanceof Error && e.name === 'BoundaryError'));

/** Why a file could not be written, by system error code. */
const diskProblems: Record<string, string> = {
  ENOSPC: 'no space left on the disk',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
};

/**
 * A file the run writes (its results folder, a history) could not be written: one line naming
 * the file and why, exit 3. undefined when the error is not about writing a file.
 */
export function diskFailure(error: unknown): EnvironmentError | undefined {
  const found = causeChain(error).find((e) => {
    const { code, path, syscall } = (e ?? {}) as { code?: unknown; path?: unknown; syscall?: unknown };
    // A path, or a file system call: EACCES from bind() is the network, not the disk.
    return typeof code === 'string' && code in diskProblems && (typeof path === 'string' || /^(open|write|mkdir|rename|fsync|close|copyfile|unlink)$/.test(String(syscall)));
  }) as { code: string; path?: string } | undefined;
  if (!found) return undefined;
  return new EnvironmentError(`cannot write ${found.path ?? 'the results'}: ${diskProblems[found.code]} (${found.code}); no counts were made from this run`, {
    hint: 'Free space there or make it writable, or set KAFKA_OFFSET_LAB_RESULTS to a folder on another disk, and run again.',
    cause: error,
  });
}

/**
 * What an error that ended a run means for the user: a UserError stays as it is; the
 * environment exits 3; anything else is a bug of ours (exit 4). `folders` are the run's files.
 */
export function runFailure(error: unknown, folders: readonly string[]): UserError {
  if (error instanceof UserError) return error;
  const disk = isHarnessFault(error) ? undefined : diskFailure(error);
  if (disk) return disk;
  if (!isHarnessFault(error) && isEnvironmentFailure(error)) {
    return new EnvironmentError(`the run failed: ${errorMessage(error)}`, {
      hint: folders.length > 0 ? `Files of this run, logs included: ${folders.join(', ')}` : undefined,
      cause: error,
    });
  }
  return new HarnessError(errorMessage(error), folders, { cause: error });
}
