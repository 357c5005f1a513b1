import type { BetweenContext } from '../faults/fault.ts';
import type { RunResources } from '../kafka/run-resources.ts';
import { checkpointPath } from '../strategies/file-checkpoint.ts';
import { perMessageKinds, readRunHistory, runHistoryFiles } from '../history/run-files.ts';
import type { Instance } from './instances.ts';

/** What the faults may use between the first phase and the restarts. */
export function betweenContext({ workDir, topic, instances, resources }: { workDir: string; topic: string; instances: Instance[]; resources: RunResources }): BetweenContext {
  return {
    workDir,
    topic,
    instances,
    resources,
    checkpointPath: (name) => {
      const choice = instances.find((i) => i.name === name)?.choice;
      return checkpointPath(workDir, name, choice?.strategy === 'file-checkpoint' ? choice.options : undefined);
    },
    history: () => readRunHistory(runHistoryFiles(workDir, instances.map((i) => i.name)), perMessageKinds),
    // seek-replay's new group: the instance's restart joins a group nobody used yet.
    moveToNewGroup: (name) => {
      const instance = instances.find((i) => i.name === name);
      if (!instance) throw new Error(`no instance ${name} to move to a new group`);
      return (instance.groupId = resources.groupName(`${instance.row}-new`));
    },
  };
}
