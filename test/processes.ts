import { execFileSync } from 'node:child_process';

interface Proc {
  pid: number;
  ppid: number;
  args: string;
}

function processTable(): Proc[] {
  const out = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' });
  const procs: Proc[] = [];
  for (const line of out.split('\n')) {
    const match = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line);
    if (match) procs.push({ pid: Number(match[1]), ppid: Number(match[2]), args: match[3]! });
  }
  return procs;
}

/** Every live process below `root` (children, grandchildren …), with its command line. */
export function descendants(root: number): Map<number, string> {
  const table = processTable();
  const found = new Map<number, string>();
  const queue = [root];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const p of table) {
      if (p.ppid === parent && !found.has(p.pid)) {
        found.set(p.pid, p.args);
        queue.push(p.pid);
      }
    }
  }
  return found;
}

/** Which of these pids still run (a zombie that is not yet reaped counts as gone). */
export function stillRunning(pids: Iterable<number>): number[] {
  const live = new Map(processTable().map((p) => [p.pid, p]));
  const stat = (pid: number) => {
    try {
      return execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    } catch {
      return '';
    }
  };
  return [...pids].filter((pid) => live.has(pid) && !stat(pid).startsWith('Z'));
}

export const isBroker = (args: string) => args.includes('kafka-offset-lab-broker-');
export { isStrategyProcess as isStrategy } from '../src/runner/child-bundle.ts';
