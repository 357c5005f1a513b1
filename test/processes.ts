import { execFileSync } from 'node:child_process';

/** pid → command line of every process whose command line contains `needle`. */
export function processesMatching(needle: string): Map<number, string> {
  const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  const found = new Map<number, string>();
  for (const line of out.split('\n')) {
    const match = /^\s*(\d+)\s+(.*)$/.exec(line);
    if (match && match[2]!.includes(needle) && !match[2]!.startsWith('ps ')) found.set(Number(match[1]), match[2]!);
  }
  return found;
}

/** Kafka broker JVMs started by this harness (their config lives in a kafka-offset-lab-broker- folder). */
export const harnessBrokers = () => processesMatching('kafka-offset-lab-broker-');
export const strategyProcesses = () => processesMatching('strategy-child.ts');

export function newSince(before: Map<number, string>, now: Map<number, string>): number[] {
  return [...now.keys()].filter((pid) => !before.has(pid));
}
