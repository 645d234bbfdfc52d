// A progress bar on stderr for the import, reindex and benchmark scripts, drawn by cli-progress: redrawn in place on a
// terminal, a plain line every ten seconds when stderr is a file or a pipe, so logs stay readable. The total may be
// unknown at first (reindex learns it once the scan starts): until then the line shows the count and the rate only.
import { SingleBar, type Options, type Params } from 'cli-progress';

const count = (n: number) => n.toLocaleString('en-US');

export class ProgressBar {
  private readonly started = performance.now();
  private readonly bar: SingleBar;
  private done = 0;

  constructor(
    label: string,
    private total: number | null,
    out: NodeJS.WriteStream = process.stderr,
  ) {
    const format = (options: Options, p: Params): string => {
      const seconds = (performance.now() - this.started) / 1000;
      const rate = p.value / Math.max(seconds, 1e-9);
      const rateText = `${rate >= 1000 ? `${(rate / 1000).toFixed(1)}k` : rate.toFixed(0)}/s`;
      if (!this.total) return `${label} ${count(p.value)} ${rateText} ${seconds.toFixed(0)}s`;
      const width = options.barsize ?? 28;
      const filled = Math.round(Math.min(1, p.progress) * width);
      const eta = rate > 0 ? Math.max(0, (this.total - p.value) / rate) : 0;
      return (
        `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(Math.min(1, p.progress) * 100).toFixed(1).padStart(5)}% ` +
        `${count(p.value)}/${count(this.total)} ${rateText} ETA ${eta.toFixed(0)}s`
      );
    };
    this.bar = new SingleBar({
      format,
      stream: out,
      barsize: 28,
      fps: 10,
      noTTYOutput: true,
      notTTYSchedule: 10_000,
      hideCursor: false,
      clearOnComplete: false,
    });
    this.bar.start(total ?? 0, 0);
  }

  setTotal(total: number): void {
    this.total = total;
    this.bar.setTotal(total);
  }

  tick(n = 1): void {
    this.done += n;
    this.bar.update(this.done);
  }

  /** Final line; returns the elapsed seconds and the rate. */
  finish(): { seconds: number; perSecond: number } {
    this.bar.update(this.done);
    this.bar.stop();
    const seconds = (performance.now() - this.started) / 1000;
    return { seconds, perSecond: this.done / Math.max(seconds, 1e-9) };
  }
}
