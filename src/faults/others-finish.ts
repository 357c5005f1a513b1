import type { LiveContext } from './fault.ts';

/**
 * Waits until every other member of the instance's group (its row) has read its own share to
 * the end. A two-member lesson then does not depend on how fast the survivor is: when the
 * fault strikes, the survivor idles with nothing of its own unsaved.
 */
export async function othersFinishTheirShare(instance: string, live: LiveContext): Promise<void> {
  const row = live.instances.find((i) => i.name === instance)?.row;
  const others = live.instances.filter((i) => i.row === row && i.name !== instance);
  await Promise.all(others.map((other) => live.finishedItsShare(other.name)));
}
