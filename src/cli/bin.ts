/** What every thin bin does: Ctrl-C and SIGTERM stop the run, one catch at the top, a clear line, process.exitCode. */
import { HarnessError, UserError, describeUserError, exitCodeForSignal, runFailure } from '../util/errors.ts';
import type { Io } from './scenario-command.ts';

export async function runBin(command: (argv: string[], io: Io) => Promise<number>): Promise<void> {
  const abort = new AbortController();
  let stoppedBy: 'SIGINT' | 'SIGTERM' | undefined;
  const onSignal = (signal: 'SIGINT' | 'SIGTERM') => {
    if (stoppedBy === undefined) {
      stoppedBy = signal;
      process.stderr.write('\nstopping: killing consumers and the broker…\n');
      abort.abort();
    } else {
      process.exit(exitCodeForSignal(stoppedBy));
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    process.exitCode = await command(process.argv.slice(2), {
      stdout: process.stdout,
      stderr: process.stderr,
      stdin: process.stdin,
      env: process.env,
      signal: abort.signal,
      stoppedBy: () => stoppedBy,
    });
  } catch (error) {
    // Anything that is not a UserError escaped the command before a run had files: the
    // environment (3) or a bug of ours (4), whose stack is what to report.
    const failure = error instanceof UserError ? error : runFailure(error, []);
    for (const line of describeUserError(failure)) process.stderr.write(`${line}\n`);
    if (failure instanceof HarnessError && failure.folders.length === 0 && error instanceof Error && error.stack) {
      process.stderr.write(`${error.stack}\n`);
    }
    process.exitCode = failure.exitCode;
  }
}
