export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Polls `condition` until it returns a truthy value or `maxWaitMs` passes.
 * Used instead of fixed sleeps so fast machines are not slowed down.
 */
export async function waitFor<T>(
  condition: () => Promise<T | undefined | false> | T | undefined | false,
  {
    maxWaitMs,
    intervalMs = 50,
    description,
    retryOn = () => true,
  }: { maxWaitMs: number; intervalMs?: number; description: string; retryOn?: (error: unknown) => boolean },
): Promise<T> {
  const deadline = performance.now() + maxWaitMs; // monotonic: a clock step neither ends nor stretches the wait
  let lastError: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value;
    } catch (error) {
      // An error that waiting cannot fix is reported at once, not after the deadline.
      if (!retryOn(error)) throw error;
      lastError = error;
    }
    if (performance.now() >= deadline) {
      const reason = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${maxWaitMs} ms waiting for ${description}${reason}`);
    }
    await sleep(intervalMs);
  }
}
