export type Lang = 'en' | 'zh';
export const langs: readonly Lang[] = ['en', 'zh'];

/** --lang wins; otherwise a Chinese locale (LC_ALL, LC_MESSAGES, LANG starting with "zh") means zh. */
export function detectLang(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): Lang {
  if (flag === 'en' || flag === 'zh') return flag;
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return locale.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}
