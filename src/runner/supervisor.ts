import { fork, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { parseChildMessage } from '../boundary/parse.ts';
import type { ChildConfig, ChildMessage, SupervisorMessage } from '../consumer/protocol.ts';
import type { JsonlWriter } from '../history/jsonl.ts';
import { cacheDir } from '../util/paths.ts';
import { fileSafe } from '../util/file-safe.ts';

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface RunningChild {
  readonly instance: string;
  readonly incarnation: number;
  readonly logPath: string;
  readonly pid: number | undefined;
  readonly exited: Promise<ChildExit>;
  kill(): void;
  /** SIGSTOP / SIGCONT: a frozen process keeps its sockets but does nothing, heartbeats included. */
  signal(signal: 'SIGSTOP' | 'SIGCONT'): void;
  send(message: SupervisorMessage): void;
}

/**
 * Starts strategy processes (one per strategy instance and incarnation), records their
 * exits in the runner's history, and kills every one still running on abort, so a failed
 * or interrupted run leaves no child behind.
 */
export class Supervisor {
  private readonly running = new Set<ChildProcess>();
  /** The strategy process's entry: its bundle, or child-main.ts (child-bundle.ts). */
  private readonly entry: string;
  private readonly workDir: string;
  private readonly runnerHistory: JsonlWriter;
  private readonly onMessage: (instance: string, message: ChildMessage) => void;

  constructor(entry: string, workDir: string, runnerHistory: JsonlWriter, onMessage: (instance: string, message: ChildMessage) => void) {
    this.entry = entry;
    this.workDir = workDir;
    this.runnerHistory = runnerHistory;
    this.onMessage = onMessage;
  }

  start(config: ChildConfig): RunningChild {
    const logPath = join(this.workDir, `${fileSafe(config.instance)}.log`);
    const logFd = openSync(logPath, 'a');
    const child = fork(this.entry, [JSON.stringify(config)], {
      stdio: ['ignore', logFd, logFd, 'ipc'],
      // A plain Node process (no test-runner or debugger flags leak into it) whose stack traces name the .ts lines.
      execArgv: this.entry.endsWith('.mjs') ? ['--enable-source-maps'] : [],
      // Node's compile cache keeps the compiled bundle (or the stripped .ts modules) between processes.
      env: { ...process.env, NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE || join(cacheDir, 'node-compile-cache') },
    });
    closeSync(logFd);
    this.running.add(child);
    child.on('message', (raw) => this.onMessage(config.instance, parseChildMessage(raw)));
    const exited = new Promise<ChildExit>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => {
        this.running.delete(child);
        try {
          this.runnerHistory.append({ kind: 'exited', strategy: config.instance, incarnation: config.incarnation, code, signal, time: Date.now() });
        } catch {
          // a full disk: not thrown from an event handler (it would end the harness with a stack); the phase's diagnosis says it
        }
        resolve({ code, signal });
      });
    });
    return {
      instance: config.instance,
      incarnation: config.incarnation,
      logPath,
      pid: child.pid,
      exited,
      kill: () => child.kill('SIGKILL'),
      signal: (signal) => child.kill(signal),
      send: (message) => {
        if (child.connected) child.send(message);
      },
    };
  }

  killAll(): void {
    for (const child of this.running) child.kill('SIGKILL');
  }
}
