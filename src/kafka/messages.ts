/** The numbered messages every run produces: key m-<seq>, value {"seq":n,"text":"message n"}. */
export interface NumberedMessage {
  seq: number;
  text: string;
}

export function encodeMessage(seq: number): { key: string; value: string } {
  return { key: `m-${seq}`, value: JSON.stringify({ seq, text: `message ${seq}` } satisfies NumberedMessage) };
}

export function decodeSeq(value: Buffer | null): number {
  if (!value) return -1;
  const parsed = JSON.parse(value.toString('utf8')) as Partial<NumberedMessage>;
  return typeof parsed.seq === 'number' ? parsed.seq : -1;
}
