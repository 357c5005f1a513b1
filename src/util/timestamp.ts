/** A UTC timestamp usable as a folder name: 2026-11-24T09-03-50-183. */
export function timestamp(date = new Date()): string {
  return date.toISOString().replace(/[:.]/g, '-').replace('Z', '');
}
