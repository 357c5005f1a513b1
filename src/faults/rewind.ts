import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { formatCheckpointFile } from '../boundary/parse.ts';
import type { Positions } from '../history/events.ts';
import type { BetweenContext, Fault } from './fault.ts';

/**
 * What happens to one instance after it has read everything and committed (claim C1):
 * - resume: nothing; it restarts in its group and resumes at its committed offsets;
 * - reset-offsets: an operator resets the group's committed offsets to the earliest
 *   (`kafka-consumer-groups --reset-offsets --to-earliest`: each partition's first offset, committed);
 * - new-group: it restarts under a new group.id (another service, a renamed deployment);
 * - seek-back: its code seeks to earlier positions on restart. The instance keeps its
 *   position in a checkpoint file and ALSO commits to Kafka, so Kafka's committed offset
 *   is the end of the log while the file (rewritten here) says `positions`: the seek wins.
 */
export type Rewind =
  | { instance: string; how: 'resume' | 'reset-offsets' | 'new-group' }
  | { instance: string; how: 'seek-back'; positions: (context: BetweenContext) => Positions };

/**
 * Lets each listed instance finish cleanly (a clean exit is the plan, and it is restarted),
 * then rewinds it as its Rewind says before the restart.
 */
export function rewind(rewinds: readonly Rewind[]): Fault {
  const of = (instance: string) => rewinds.find((r) => r.instance === instance);
  return {
    name: `rewind ${rewinds.map((r) => `${r.instance}: ${r.how}`).join(', ')}`,
    judgeExit: (instance, exit) => {
      if (!of(instance)) return undefined;
      if (exit.code === 0) return 'restart';
      return { problem: `${instance} did not finish its first read cleanly (${exit.signal ?? `code ${exit.code}`})` };
    },
    beforeRestart: async (context) => {
      const done: string[] = [];
      for (const r of rewinds) {
        const target = context.instances.find((i) => i.name === r.instance);
        if (!target) throw new Error(`rewind: no instance ${r.instance}`);
        if (r.how === 'resume') done.push(`${r.instance}: nothing changed; it restarts in its group ${target.groupId}`);
        if (r.how === 'reset-offsets') {
          const committed = await context.resources.resetOffsets(target.groupId, context.topic, 'earliest');
          const positions = JSON.stringify(Object.fromEntries(committed.map((p) => [p.partition, p.offset])));
          done.push(`${r.instance}: reset the committed offsets of group ${target.groupId} to the earliest, ${positions} (kafka-consumer-groups --reset-offsets --to-earliest)`);
        }
        if (r.how === 'new-group') {
          const old = target.groupId;
          done.push(`${r.instance}: restarts in a new group ${context.moveToNewGroup(r.instance)} (was ${old}, whose offsets stay committed)`);
        }
        if (r.how === 'seek-back') {
          const positions = r.positions(context);
          const path = context.checkpointPath(r.instance);
          writeFileSync(path, formatCheckpointFile(context.topic, positions));
          done.push(`${r.instance}: its code will seek back to ${JSON.stringify(positions)} (${basename(path)} rewritten; Kafka's committed offsets untouched)`);
        }
      }
      return done;
    },
  };
}
