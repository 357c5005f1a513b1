import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * mkdir -p that says why it failed: Node's recursive mkdir reports ENOENT when it cannot
 * create a parent (on a read-only file system, say), which would read as a bug of ours.
 * Made again one level at a time, the real error (EROFS, EACCES, ENOSPC) comes out.
 */
export function makeFolder(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    const missing: string[] = [];
    for (let d = dir; !existsSync(d) && dirname(d) !== d; d = dirname(d)) missing.unshift(d);
    for (const d of missing) mkdirSync(d);
    throw error;
  }
}
