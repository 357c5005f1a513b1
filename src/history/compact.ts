import { createReadStream, createWriteStream, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';

/**
 * Below this many bytes of history a finished run keeps its plain .jsonl files (crash-mid-batch at
 * its defaults writes ~0.4 MB; with 100 000 messages ~38 MB, with a million ~370 MB).
 */
export const compactAboveBytes = 16 * 1024 * 1024;

export interface Compacted {
  before: number;
  after: number;
}

/**
 * Gzips the history files of a finished run whose histories are large (these JSON lines compress
 * 17–19× at level 1), each to `<file>.gz` and then the .jsonl removed; every reader of the lab reads either
 * (src/history/jsonl.ts). Written beside and renamed into place, so an interrupted compaction
 * leaves the plain file, which readers prefer. Returns the sizes, or undefined when left as is.
 */
export async function compactHistories(dir: string, { aboveBytes = compactAboveBytes, signal }: { aboveBytes?: number; signal?: AbortSignal } = {}): Promise<Compacted | undefined> {
  const files = readdirSync(dir)
    .filter((f) => /^history-.+\.jsonl$/.test(f))
    .map((f) => join(dir, f));
  const before = files.reduce((sum, f) => sum + statSync(f).size, 0);
  if (before < aboveBytes) return undefined;
  let after = 0;
  for (const file of files) {
    const partial = `${file}.gz.partial`;
    try {
      // Level 1: these lines compress well at any level, and the run's end should not wait long.
      await pipeline(createReadStream(file), createGzip({ level: 1 }), createWriteStream(partial), ...(signal ? [{ signal }] : []));
    } catch (error) {
      rmSync(partial, { force: true });
      throw error;
    }
    renameSync(partial, `${file}.gz`);
    rmSync(file);
    after += statSync(`${file}.gz`).size;
  }
  return { before, after };
}
