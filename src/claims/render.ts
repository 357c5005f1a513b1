import Table from 'cli-table3';
import type { Lang } from '../report/lang.ts';
import { claimTexts } from './claims.ts';
import type { ClaimVerdict, VerdictKind } from './evidence.ts';

const kindText: Record<VerdictKind, { en: string; zh: string }> = {
  holds: { en: 'holds', zh: '成立' },
  'does-not-hold': { en: 'does not hold', zh: '不成立' },
  'holds-only-when': { en: 'holds only when …', zh: '仅在……时成立' },
  'not-measured': { en: 'not measured', zh: '未测量' },
};

export const verdictLabel = (v: ClaimVerdict, lang: Lang) => kindText[v.kind][lang];

/** One sentence: the verdict and its condition. */
export function verdictSentence(v: ClaimVerdict, lang: Lang): string {
  if (!v.condition) return kindText[v.kind][lang];
  if (v.kind === 'holds-only-when') return lang === 'zh' ? `仅在${v.condition.zh}成立` : `holds only when ${v.condition.en}`;
  return `${kindText[v.kind][lang]}${lang === 'zh' ? '：' : ': '}${v.condition[lang]}`;
}

export function evidenceLines(v: ClaimVerdict): string[] {
  return v.evidence.map((e) => `${e.scenario} · ${e.row}: ${e.numbers}`);
}

/** The terminal output: a compact table, then per claim its wording (both languages), verdict and evidence. */
export function renderClaims(verdicts: readonly ClaimVerdict[], lang: Lang, width = 100): string {
  const claimWidth = Math.max(30, Math.min(60, width - 40));
  const table = new Table({
    head: ['id', lang === 'zh' ? '说法' : 'claim', lang === 'zh' ? '结论' : 'verdict'],
    colWidths: [5, claimWidth, 22],
    wordWrap: true,
    style: { head: [], border: [] },
  });
  for (const v of verdicts) table.push([v.id, claimTexts[v.id][lang], verdictLabel(v, lang)]);
  const details = verdicts.flatMap((v) => [
    '',
    `${v.id}  ${claimTexts[v.id].en}`,
    `    原文：${claimTexts[v.id].zh}`,
    `    → ${verdictSentence(v, lang)}`,
    ...evidenceLines(v).map((line) => `      ${line}`),
  ]);
  return [table.toString(), ...details].join('\n');
}

/** claims.md: the same content as a Markdown document. */
export function claimsMarkdown(verdicts: readonly ClaimVerdict[], { title, notes }: { title: string; notes: string[] }): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  return [
    `# ${title}`,
    '',
    ...notes.map((n) => `- ${n}`),
    '',
    '| id | claim (original) | verdict |',
    '|---|---|---|',
    ...verdicts.map((v) => `| ${v.id} | ${cell(claimTexts[v.id].zh)}<br>${cell(claimTexts[v.id].en)} | ${verdictLabel(v, 'en')} / ${verdictLabel(v, 'zh')} |`),
    '',
    ...verdicts.flatMap((v) => [
      `## ${v.id}: ${claimTexts[v.id].en}`,
      '',
      `> ${claimTexts[v.id].zh}`,
      '',
      `**${verdictSentence(v, 'en')}**`,
      '',
      `**${verdictSentence(v, 'zh')}**`,
      '',
      ...evidenceLines(v).map((line) => `- ${line}`),
      '',
    ]),
  ].join('\n');
}
