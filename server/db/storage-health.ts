// Failures of the disk under the service: a full disk, a read-only or failing file system. They are not bugs and not
// bad input: the request is answered 503 with Retry-After (nothing was stored), and the last one is kept here so
// readiness (/readyz) can say why the service should not take writes right now.

/** Seconds a client is asked to wait after a storage failure: long enough for an operator to act, short enough to retry. */
export const STORAGE_RETRY_AFTER_S = 60;
export const STORAGE_MESSAGE = '服务器存储空间不足或暂时无法写入，您的提交没有保存，请稍后重试。';

const ERRNO_CODES = new Set(['ENOSPC', 'EROFS', 'EDQUOT']);

/** The storage failure code of err (SQLITE_FULL, SQLITE_IOERR_*, SQLITE_READONLY_*, ENOSPC, EROFS, EDQUOT), or null. */
export function storageFailureCode(err: unknown): string | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  if (ERRNO_CODES.has(code)) return code;
  if (code === 'SQLITE_FULL' || code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_READONLY')) return code;
  return null;
}

export interface StorageFailure {
  readonly at: string;
  readonly code: string;
  readonly message: string;
}

/** How long after a failure the service still reports itself unhealthy: a full disk is rarely freed within seconds. */
export const STORAGE_RECOVERY_MS = 60_000;

export class StorageHealth {
  private last: StorageFailure | null = null;
  private lastAtMs = 0;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly recoveryMs = STORAGE_RECOVERY_MS,
  ) {}

  /** Records err when it is a storage failure; returns its code (null: not a storage failure, nothing recorded). */
  record(err: unknown): string | null {
    const code = storageFailureCode(err);
    if (!code) return null;
    this.lastAtMs = this.now();
    this.last = Object.freeze({
      at: new Date(this.lastAtMs).toISOString(),
      code,
      message: String((err as Error).message ?? err),
    });
    return code;
  }

  /** The last storage failure since start, however old. */
  lastFailure(): StorageFailure | null {
    return this.last;
  }

  /** Not ok for recoveryMs after a storage failure; reason names the code and the time. */
  health(): { ok: boolean; reason: string | null; lastFailure: StorageFailure | null } {
    const recent = this.last !== null && this.now() - this.lastAtMs < this.recoveryMs;
    return {
      ok: !recent,
      reason: recent ? `storage write failed (${this.last!.code}) at ${this.last!.at}` : null,
      lastFailure: this.last,
    };
  }
}
