/**
 * Display width and line wrapping for a terminal: East Asian wide characters take two
 * columns, ANSI colour escapes none. English wraps at spaces; Chinese may break between any
 * two characters, except that closing punctuation never starts a line and opening
 * punctuation never ends one.
 */

const ansiPattern = /\x1b\[[0-9;]*m/g;

export const stripAnsi = (text: string) => text.replace(ansiPattern, '');

/** East Asian Wide and Fullwidth ranges (Unicode EastAsianWidth W/F), inclusive. */
const wideRanges: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f], [0x231a, 0x231b], [0x2329, 0x232a], [0x23e9, 0x23ec], [0x23f0, 0x23f0], [0x23f3, 0x23f3],
  [0x25fd, 0x25fe], [0x2614, 0x2615], [0x2648, 0x2653], [0x267f, 0x267f], [0x2693, 0x2693], [0x26a1, 0x26a1],
  [0x26aa, 0x26ab], [0x26bd, 0x26be], [0x26c4, 0x26c5], [0x26ce, 0x26ce], [0x26d4, 0x26d4], [0x26ea, 0x26ea],
  [0x26f2, 0x26f3], [0x26f5, 0x26f5], [0x26fa, 0x26fa], [0x26fd, 0x26fd], [0x2705, 0x2705], [0x270a, 0x270b],
  [0x2728, 0x2728], [0x274c, 0x274c], [0x274e, 0x274e], [0x2753, 0x2755], [0x2757, 0x2757], [0x2795, 0x2797],
  [0x27b0, 0x27b0], [0x27bf, 0x27bf], [0x2b1b, 0x2b1c], [0x2b50, 0x2b50], [0x2b55, 0x2b55],
  [0x2e80, 0x303e], [0x3041, 0x33ff], [0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xa000, 0xa4cf], [0xa960, 0xa97f],
  [0xac00, 0xd7a3], [0xf900, 0xfaff], [0xfe10, 0xfe19], [0xfe30, 0xfe6f], [0xff00, 0xff60], [0xffe0, 0xffe6],
  [0x1f004, 0x1f004], [0x1f0cf, 0x1f0cf], [0x1f18e, 0x1f18e], [0x1f191, 0x1f19a], [0x1f200, 0x1f251],
  [0x1f300, 0x1f64f], [0x1f680, 0x1f6ff], [0x1f900, 0x1f9ff], [0x20000, 0x2fffd], [0x30000, 0x3fffd],
];

function isWide(code: number): boolean {
  if (code < 0x1100) return false;
  let low = 0;
  let high = wideRanges.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const [from, to] = wideRanges[mid]!;
    if (code < from) high = mid - 1;
    else if (code > to) low = mid + 1;
    else return true;
  }
  return false;
}

/** Combining marks, zero-width spaces/joiners and variation selectors take no column. */
const isZeroWidth = (code: number) =>
  (code >= 0x0300 && code <= 0x036f) || (code >= 0x200b && code <= 0x200f) || (code >= 0xfe00 && code <= 0xfe0f) || code === 0x2060;

/** Columns one character (code point) takes. */
export function charWidth(char: string): number {
  const code = char.codePointAt(0)!;
  if (code < 0x20 || (code >= 0x7f && code < 0xa0) || isZeroWidth(code)) return 0;
  return isWide(code) ? 2 : 1;
}

/** Columns a string takes on a terminal. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of stripAnsi(text)) width += charWidth(char);
  return width;
}

/** Pads with spaces on the right (or left) to a display width. */
export function padDisplay(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const pad = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return align === 'left' ? text + pad : pad + text;
}

/** Characters that must not start a line (they close what comes before). */
const closing = new Set([...'。，、；：！？」）』》〉】〕…‥・ー々〗〙〛”’.,;:!?)]}%']);
/** Characters that must not end a line (they open what comes after). */
const opening = new Set([...'「（『《〈【〔〖〘〚“‘([{']);

export const nbsp = '\u00a0';

const isCjk = (char: string) => isWide(char.codePointAt(0)!);

/**
 * Splits text into unbreakable pieces; `space` says whether whitespace came before the piece
 * (printed unless the piece starts a line). A break is allowed before every piece.
 */
function pieces(text: string): Array<{ text: string; space: boolean }> {
  const out: Array<{ text: string; space: boolean }> = [];
  let current = '';
  let spaceBefore = false;
  let previous = ''; // the last visible character of `current`
  const flush = () => {
    if (current !== '') out.push({ text: current, space: spaceBefore });
    current = '';
    spaceBefore = false;
    previous = '';
  };
  // Escapes are glued to the character that follows them (or to the end).
  const tokens = text.match(/(?:\x1b\[[0-9;]*m)+|[\s\S]/gu) ?? [];
  let escapes = '';
  for (const token of tokens) {
    if (token.startsWith('\x1b')) {
      if (current === '') escapes += token;
      else current += token;
      continue;
    }
    // A no-break space (U+00A0) glues a label to its number: "lost 0" never splits.
    if (token !== nbsp && /\s/u.test(token)) {
      flush();
      spaceBefore = true;
      continue;
    }
    // A break between two characters is allowed when either is CJK (no spaces in Chinese),
    // unless the next one closes or the previous one opens.
    const breakHere =
      current !== '' &&
      previous !== '' &&
      token !== nbsp &&
      previous !== nbsp &&
      (isCjk(token) || isCjk(previous)) &&
      !closing.has(token) &&
      !opening.has(previous);
    if (breakHere) flush();
    current += escapes + token;
    escapes = '';
    previous = token;
  }
  current += escapes;
  flush();
  return out;
}

/** Hard-splits one piece that is wider than a line, at character boundaries. */
function splitWide(text: string, width: number): string[] {
  const parts: string[] = [];
  let part = '';
  let used = 0;
  for (const token of text.match(/(?:\x1b\[[0-9;]*m)+|[\s\S]/gu) ?? []) {
    const w = token.startsWith('\x1b') ? 0 : charWidth(token);
    if (used + w > width && part !== '') {
      parts.push(part);
      part = '';
      used = 0;
    }
    part += token;
    used += w;
  }
  if (part !== '') parts.push(part);
  return parts;
}

export interface WrapOptions {
  /** Put before the first line (counted in the width), e.g. "• ". */
  firstPrefix?: string;
  /** Put before every following line, e.g. "  " to hang under the bullet. */
  restPrefix?: string;
}

/**
 * Wraps text so that no line is wider than `width` columns: at spaces, and between CJK
 * characters with the punctuation rule. Existing newlines are kept.
 */
export function wrapText(text: string, width: number, options: WrapOptions = {}): string[] {
  const first = options.firstPrefix ?? '';
  const rest = options.restPrefix ?? '';
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = lines.length === 0 ? first : rest;
    let used = displayWidth(line);
    let empty = true;
    const newLine = () => {
      lines.push(line.trimEnd());
      line = rest;
      used = displayWidth(rest);
      empty = true;
    };
    for (const piece of pieces(paragraph)) {
      const available = Math.max(1, width - displayWidth(rest));
      const parts = displayWidth(piece.text) > available ? splitWide(piece.text, available) : [piece.text];
      for (const [index, part] of parts.entries()) {
        const space = index === 0 && piece.space;
        const w = displayWidth(part);
        if (!empty && used + (space ? 1 : 0) + w > width) newLine();
        if (!empty && space) {
          line += ' ';
          used += 1;
        }
        line += part;
        used += w;
        empty = false;
      }
    }
    lines.push(line.trimEnd());
  }
  return lines;
}
