import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Admin } from 'kafkajs';
import { parseCheckpointFile } from '../boundary/parse.ts';
import type { EventOf, Positions } from '../history/events.ts';
import { checkpointPath } from '../strategies/file-checkpoint.ts';
import type { Instance } from './instances.ts';

/**
 * What survived each dead instance, read from the broker and the disk after the first phase
 * and before the faults between phases or any restart: the crash windows are counted from
 * this, never from what the killed process reported.
 */
export async function readSurvived(
  dead: readonly Instance[],
  { admin, topic, workDir, ends }: { admin: Admin; topic: string; workDir: string; ends?: Positions },
): Promise<Array<EventOf<'survived'>>> {
  const events: Array<EventOf<'survived'>> = [];
  for (const instance of dead) {
    const file = instance.choice.strategy === 'file-checkpoint';
    const positions = file
      ? checkpointContent(checkpointPath(workDir, instance.name, instance.choice.strategy === 'file-checkpoint' ? instance.choice.options : undefined), topic, ends)
      : await committedOffsets(admin, instance.groupId, topic);
    events.push({ kind: 'survived', strategy: instance.name, incarnation: 1, source: file ? 'file' : 'kafka', positions, time: Date.now() });
  }
  return events;
}

async function committedOffsets(admin: Admin, groupId: string, topic: string): Promise<Positions> {
  const [result] = await admin.fetchOffsets({ groupId, topics: [topic] });
  const positions: Positions = {};
  // -1: nothing committed; a negative sentinel (kafkajs's reset to earliest) is no position either
  for (const p of result?.partitions ?? []) if (Number(p.offset) >= 0) positions[p.partition] = Number(p.offset);
  return positions;
}

function checkpointContent(path: string, topic: string, ends: Positions | undefined): Positions {
  if (!existsSync(path)) return {};
  try {
    return parseCheckpointFile(readFileSync(path, 'utf8'), topic, basename(path), ends);
  } catch {
    return {}; // unreadable: the restart falls back, nothing of the file counts as saved
  }
}
