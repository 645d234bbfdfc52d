// A progress bar on stderr for the import and reindex scripts: redrawn in place on a terminal, a plain line every
// ten per cent (or ten seconds) when stderr is a file or a pipe, so logs stay readable.
export class ProgressBar {
  private readonly started = performance.now();
  private lastDraw = 0;
  private lastPercentLine = -1;
  private lastLineAt = 0;
  private done = 0;

  constructor(private readonly label: string, private total: number | null, private readonly out: NodeJS.WriteStream = process.stderr) {}

  setTotal(total: number): void { this.total = total; }

  tick(n = 1): void {
    this.done += n;
    const now = performance.now();
    if (this.out.isTTY) {
      if (now - this.lastDraw < 100) return;
      this.lastDraw = now;
      this.out.write(`\r${this.line(now)}\u001b[K`);
      return;
    }
    const pct = this.total ? Math.floor((this.done / this.total) * 10) : -1;
    if (pct > this.lastPercentLine || now - this.lastLineAt > 10_000) {
      this.lastPercentLine = Math.max(pct, this.lastPercentLine);
      this.lastLineAt = now;
      this.out.write(`${this.line(now)}\n`);
    }
  }

  /** Final line; returns the elapsed seconds and the rate. */
  finish(): { seconds: number; perSecond: number } {
    const now = performance.now();
    const seconds = (now - this.started) / 1000;
    this.out.write(`${this.out.isTTY ? '\r' : ''}${this.line(now)}${this.out.isTTY ? '\u001b[K' : ''}\n`);
    return { seconds, perSecond: this.done / Math.max(seconds, 1e-9) };
  }

  private line(now: number): string {
    const seconds = (now - this.started) / 1000;
    const rate = this.done / Math.max(seconds, 1e-9);
    const rateText = `${rate >= 1000 ? `${(rate / 1000).toFixed(1)}k` : rate.toFixed(0)}/s`;
    if (!this.total) return `${this.label} ${this.done.toLocaleString('en-US')} ${rateText} ${seconds.toFixed(0)}s`;
    const frac = Math.min(1, this.done / this.total);
    const width = 28;
    const filled = Math.round(frac * width);
    const eta = rate > 0 ? Math.max(0, (this.total - this.done) / rate) : 0;
    return `${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(frac * 100).toFixed(1).padStart(5)}% `
      + `${this.done.toLocaleString('en-US')}/${this.total.toLocaleString('en-US')} ${rateText} ETA ${eta.toFixed(0)}s`;
  }
}
