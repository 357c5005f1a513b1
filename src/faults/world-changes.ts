import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { formatCheckpointFile } from '../boundary/parse.ts';
import type { Positions } from '../history/events.ts';
import type { BetweenContext, Fault } from './fault.ts';

/*
 * Faults that change the world between the crash and the restart: what the restarted
 * consumers find is not what the dead ones left.
 */

/** The checkpoint files are gone (a new container, a new disk). */
export function loseCheckpoint({ instances }: { instances: readonly string[] }): Fault {
  return {
    name: 'lose the checkpoint file',
    beforeRestart: async (context) => {
      const done: string[] = [];
      for (const instance of instances) {
        const path = context.checkpointPath(instance);
        if (!existsSync(path)) continue;
        rmSync(path);
        done.push(`deleted ${basename(path)} (as on a new container or disk)`);
      }
      return done;
    },
  };
}

/**
 * An instance's checkpoint file is replaced by other positions (a restored backup, a file
 * copied from elsewhere). `positions` returns undefined when there is nothing to write.
 */
export function rewriteCheckpoint({
  instance,
  positions,
  why,
}: {
  instance: string;
  positions: (context: BetweenContext) => Positions | undefined;
  /** Completes "replaced <file> by …". */
  why: string;
}): Fault {
  return {
    name: `rewrite ${instance}'s checkpoint`,
    beforeRestart: async (context) => {
      const chosen = positions(context);
      if (chosen === undefined) return [];
      const path = context.checkpointPath(instance);
      writeFileSync(path, formatCheckpointFile(context.topic, chosen));
      return [`replaced ${basename(path)} by ${why} ${JSON.stringify(chosen)}`];
    },
  };
}

/** The broker deletes records before `offset` (deleteRecords, as retention would), on this run's own topic only. */
export function deleteRecordsBefore({ partition, offset }: { partition: number; offset: number }): Fault {
  return {
    name: `delete records before ${offset}`,
    beforeRestart: async (context) => {
      await context.resources.deleteRecords(context.topic, [{ partition, offset }]);
      return [`deleted the records before offset ${offset} (deleteRecords, as retention would)`];
    },
  };
}
