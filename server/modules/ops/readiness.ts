// The readiness registry: named checks, each answering null (ready) or why not, in Chinese for the operator. Any
// module adds its own (`app.readiness.add('search', …)`); /readyz runs them all.

/** null: ready. A string: why not. A check that throws or takes longer than CHECK_TIMEOUT_MS counts as not ready. */
export type ReadinessCheck = () => string | null | Promise<string | null>;

export interface ReadinessReport {
  ready: boolean;
  /** Names of the failing checks. */
  reasons: string[];
  checks: Record<string, { ok: boolean; message?: string }>;
}

export interface Readiness {
  add(name: string, check: ReadinessCheck): void;
  run(): Promise<ReadinessReport>;
}

export const CHECK_TIMEOUT_MS = 2000;

export function readinessRegistry(): Readiness {
  const checks = new Map<string, ReadinessCheck>();

  async function one(check: ReadinessCheck): Promise<string | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(`检查超过 ${CHECK_TIMEOUT_MS} 毫秒未完成`), CHECK_TIMEOUT_MS);
    });
    try {
      return await Promise.race([Promise.resolve().then(check), timeout]);
    } catch (err) {
      return `检查出错：${err instanceof Error ? err.message : String(err)}`;
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    add(name, check) {
      if (checks.has(name)) throw new Error(`readiness check "${name}" is already registered`);
      checks.set(name, check);
    },
    async run() {
      const entries = [...checks];
      const results = await Promise.all(entries.map(([, check]) => one(check)));
      const report: ReadinessReport = { ready: true, reasons: [], checks: {} };
      entries.forEach(([name], i) => {
        const message = results[i];
        if (message === null) {
          report.checks[name] = { ok: true };
          return;
        }
        report.ready = false;
        report.reasons.push(name);
        report.checks[name] = { ok: false, message };
      });
      return report;
    },
  };
}
