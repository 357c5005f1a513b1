import type { HistoryEvent } from '../history/events.ts';
import type { Lang } from '../report/lang.ts';
import { wrapText } from '../report/wrap.ts';
import { ExitCode, UserError } from '../util/errors.ts';
import { describeEvent, phaseIntro, promptText } from './step-texts.ts';

export interface StepIo {
  input: NodeJS.ReadStream;
  output: NodeJS.WriteStream;
  signal?: AbortSignal;
  /** Called before anything is printed (the progress line is cleared). */
  beforeStop?: () => void;
  width?: number;
}

/**
 * Step mode: the run stops at each phase and at each significant event (crash, fault, exit,
 * resume point), says what happened and what to watch next, and goes on at Enter.
 *
 * Where it waits: only between phases, when no consumer process runs. Events that happen
 * while consumers run are queued and each gets its own stop at the next phase boundary
 * (before the next phase starts, or at the end). Holding a live consumer instead (a held
 * trigger, a SIGSTOP) would stop its heartbeats: after its short session the group would
 * evict it and rebalance, and the pause itself would change the counts.
 */
export class StepMode {
  private readonly io: StepIo;
  private readonly lang: Lang;
  private readonly queue: HistoryEvent[] = [];

  constructor(io: StepIo, lang: Lang) {
    this.io = io;
    this.lang = lang;
  }

  /** A significant event happened (the runner's onEvent): shown at the next stop. */
  event(event: HistoryEvent): void {
    if (describeEvent(event, this.lang) === undefined) return;
    // The crash already says what the SIGKILL's exit would say.
    const last = this.queue.at(-1);
    if (event.kind === 'exited' && last?.kind === 'crash' && last.strategy === event.strategy && last.incarnation === event.incarnation) return;
    this.queue.push(event);
  }

  /** Before a phase: a stop per queued event, then one for the phase. */
  async beforePhase(phase: string, label = phase): Promise<void> {
    await this.flush();
    const intro = phaseIntro[this.lang][phase];
    await this.stop(`── ${label} ──`, intro ?? '');
  }

  /** A stop per event not yet shown (at the end of a run). */
  async flush(): Promise<void> {
    while (this.queue.length > 0) await this.stop('', describeEvent(this.queue.shift()!, this.lang)!);
  }

  private async stop(title: string, text: string): Promise<void> {
    this.io.beforeStop?.();
    const width = Math.max(40, this.io.width ?? 100);
    const lines = [...(title ? [title] : []), ...(text ? wrapText(text, width, { restPrefix: '  ' }) : [])];
    this.io.output.write(`\n${lines.join('\n')}\n  ${promptText[this.lang]} `);
    await this.enter();
  }

  /** Resolves at the next line typed on the terminal; rejects on Ctrl-C (the run's signal). */
  private enter(): Promise<void> {
    const { input, signal } = this.io;
    return new Promise((resolve, reject) => {
      const finish = (outcome: () => void) => {
        input.off('data', onData);
        signal?.removeEventListener('abort', onAbort);
        input.pause();
        outcome();
      };
      const onData = (chunk: Buffer | string) => {
        if (/[\r\n]/.test(String(chunk))) finish(resolve);
      };
      const onAbort = () => finish(() => reject(new UserError('interrupted', { exitCode: ExitCode.interrupted })));
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      input.on('data', onData);
      input.resume();
    });
  }
}
