/**
 * kafkajs 2.2.4 calls setTimeout with a negative delay when it is not throttled
 * (requestQueue.scheduleCheckPendingRequests, whose 1 ms loop src/kafka/kafkajs-idle-timer.ts
 * stops; other places where kafkajs computes a delay from a past time may still do it).
 * Node >= 23 warns about it (TimeoutNegativeWarning) and clamps the delay to 1 ms, which is what
 * older Nodes did silently. The warning is noise on a teacher's screen, so this drops that one
 * warning and nothing else. Import this module before kafkajs is used.
 */
const originalEmitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const name = typeof warning === 'string' ? (rest[0] as { type?: string } | string | undefined) : warning;
  const type = typeof name === 'string' ? name : name && 'type' in name ? name.type : (name as Error | undefined)?.name;
  if (type === 'TimeoutNegativeWarning') return;
  (originalEmitWarning as (...args: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;

// kafkajs' partitioner notice: we always name the partition explicitly.
process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
