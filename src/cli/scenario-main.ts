#!/usr/bin/env node
/** Thin bin: one catch at the top, a clear line instead of a stack trace, process.exitCode. */
import { ExitCode, UserError } from '../util/errors.ts';
import { scenarioCommand } from './scenario-command.ts';

const abort = new AbortController();
let interrupts = 0;
const onSignal = () => {
  interrupts++;
  if (interrupts === 1) {
    process.stderr.write('\nstopping: killing consumers and the broker…\n');
    abort.abort();
  } else {
    process.exit(ExitCode.interrupted);
  }
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

try {
  process.exitCode = await scenarioCommand(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    signal: abort.signal,
  });
} catch (error) {
  if (error instanceof UserError) {
    process.stderr.write(`error: ${error.message}\n`);
    if (error.hint) process.stderr.write(`${error.hint}\n`);
    process.exitCode = error.exitCode;
  } else {
    process.stderr.write(`internal error: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 70;
  }
}
