/**
 * One-line progress on stderr (stdout stays clean for --json). On a terminal the line is
 * rewritten in place with a spinner and the elapsed time; elsewhere only phase changes are
 * printed, one line each.
 */
export class Progress {
  private readonly stream: NodeJS.WriteStream;
  private readonly live: boolean;
  private phase = '';
  private detail = '';
  private phaseStart = 0;
  private frame = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(stream: NodeJS.WriteStream = process.stderr, { quiet = false }: { quiet?: boolean } = {}) {
    this.stream = stream;
    this.live = !quiet && stream.isTTY === true;
    this.quiet = quiet;
  }
  private readonly quiet: boolean;

  startPhase(phase: string): void {
    this.phase = phase;
    this.detail = '';
    this.phaseStart = performance.now();
    if (this.quiet) return;
    if (this.live) {
      this.timer ??= setInterval(() => this.render(), 100);
      this.timer.unref();
      this.render();
    } else {
      this.stream.write(`… ${phase}\n`);
    }
  }

  update(detail: string): void {
    this.detail = detail;
  }

  private render(): void {
    const spinner = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏'[this.frame++ % 10];
    const seconds = ((performance.now() - this.phaseStart) / 1000).toFixed(1);
    const columns = this.stream.columns ?? 100;
    const line = `${spinner} ${this.phase} ${seconds} s ${this.detail}`.slice(0, columns - 1);
    this.stream.write(`\r\x1b[2K${line}`);
  }

  /** Clears the progress line before the report is printed. */
  done(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.live) this.stream.write('\r\x1b[2K');
  }
}
