// A byte limit as people read it in messages: rounded down, so a message never promises more than is accepted.
const KiB = 1024;
const MiB = 1024 * KiB;

/** 10485760 -> "10 MB", 1572864 -> "1.5 MB", 2048 -> "2 KB". */
export function sizeLimitText(bytes: number): string {
  if (bytes >= MiB) {
    const mb = Math.floor((bytes / MiB) * 10) / 10;
    return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
  }
  return `${Math.max(1, Math.floor(bytes / KiB))} KB`;
}
