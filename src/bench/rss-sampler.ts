import { readFileSync, readdirSync } from 'node:fs';
import { isStrategyProcess } from '../runner/child-bundle.ts';

/**
 * Samples the peak resident memory (VmHWM, the kernel's own high-water mark) of every process
 * in a tree, by name, while it runs: the largest peak per kind of process is what the bench
 * reports. Linux only (/proc).
 */
export class RssSampler {
  readonly peakKiB = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  readonly #root: number;

  constructor(root: number = process.pid) {
    this.#root = root;
  }

  start(everyMs = 100): this {
    this.#sample();
    this.#timer = setInterval(() => this.#sample(), everyMs);
    this.#timer.unref();
    return this;
  }

  stop(): Map<string, number> {
    clearInterval(this.#timer);
    this.#sample();
    return this.peakKiB;
  }

  #sample(): void {
    const parentOf = new Map<number, number>();
    const argsOf = new Map<number, string>();
    for (const entry of readdirSync('/proc')) {
      const pid = Number(entry);
      if (!Number.isInteger(pid)) continue;
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        parentOf.set(pid, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
        argsOf.set(pid, readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' '));
      } catch {
        // the process ended meanwhile
      }
    }
    const inTree = (pid: number): boolean => {
      for (let p: number | undefined = pid; p !== undefined && p > 1; p = parentOf.get(p)) if (p === this.#root) return true;
      return false;
    };
    for (const [pid, args] of argsOf) {
      // An exiting process (a zombie) has no command line and no memory left to count.
      if (!inTree(pid) || args.trim() === '') continue;
      try {
        const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
        if (hwm === undefined) continue;
        const kind = kindOf(args, pid === this.#root);
        this.peakKiB.set(kind, Math.max(this.peakKiB.get(kind) ?? 0, Number(hwm)));
      } catch {
        // ended meanwhile
      }
    }
  }
}

function kindOf(args: string, root: boolean): string {
  if (root) return 'runner';
  if (args.includes('kafka.Kafka')) return 'broker JVM';
  if (isStrategyProcess(args)) return 'strategy process';
  if (args.includes('raw-consumer.ts')) return 'raw kafkajs consumer';
  if (args.includes('scenario-main.ts')) return 'CLI run';
  return args.split(' ')[0]?.split('/').at(-1) ?? 'other';
}
