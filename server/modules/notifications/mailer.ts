// Sends one e-mail: through SMTP (nodemailer, SMTP_URL) when configured. Without it nothing leaves the machine: the
// message is appended as one JSON line to DATA_DIR/mail-outbox.log (mode 0600, it holds people's addresses and
// complaints), the result says it was only logged (`logged: true`), and the log keeps OUTBOX_RETENTION_DAYS of lines.
import { createReadStream, createWriteStream, existsSync, chmodSync } from 'node:fs';
import { appendFile, mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** Stable across retries; sent as Message-ID and X-Idempotency-Key so a receiving system can drop duplicates. */
  key: string;
}

/** `logged`: there is no SMTP_URL and the message went to the local mail log only; nobody received it. */
export type MailResult =
  | { ok: true; detail: string; logged?: true }
  | { ok: false; detail: string; retryable: boolean };

interface SmtpError {
  responseCode?: number;
  response?: string;
  code?: string;
  message?: string;
}

export interface MailerOptions {
  smtpUrl: string | null;
  from: string;
  logFile: string;
  timeoutMs?: number;
  now?: () => number;
}

export class Mailer {
  private readonly transport: Transporter<SMTPTransport.SentMessageInfo> | null;
  private readonly now: () => number;
  /** Appends and the retention rewrite of the log file, one at a time: a rewrite never loses a line appended meanwhile. */
  private fileQueue: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: MailerOptions) {
    const t = opts.timeoutMs ?? 10_000;
    this.now = opts.now ?? Date.now;
    this.transport = opts.smtpUrl
      ? nodemailer.createTransport({
          url: opts.smtpUrl,
          connectionTimeout: t,
          greetingTimeout: t,
          socketTimeout: t,
        } as SMTPTransport.Options)
      : null;
    // A log written by an earlier version may be world-readable.
    if (existsSync(opts.logFile)) chmodSync(opts.logFile, 0o600);
  }

  get mode(): 'smtp' | 'file' {
    return this.transport ? 'smtp' : 'file';
  }
  get logFile(): string {
    return this.opts.logFile;
  }

  async send(msg: MailMessage): Promise<MailResult> {
    const messageId = `<${msg.key.replace(/[^A-Za-z0-9._-]/g, '.')}@wallet-complaints>`;
    if (!this.transport) {
      const line = JSON.stringify({
        at: new Date(this.now()).toISOString(),
        messageId,
        from: this.opts.from,
        to: msg.to,
        subject: msg.subject,
        text: msg.text,
        key: msg.key,
      });
      await this.onFile(async () => {
        await mkdir(dirname(this.opts.logFile), { recursive: true, mode: 0o700 });
        await appendFile(this.opts.logFile, `${line}\n`, { encoding: 'utf8', mode: 0o600 });
      });
      return { ok: true, logged: true, detail: '未配置 SMTP_URL：邮件未发出，仅记录在本地邮件日志' };
    }
    try {
      const info = await this.transport.sendMail({
        from: this.opts.from,
        to: msg.to,
        subject: msg.subject,
        text: msg.text,
        messageId,
        headers: { 'X-Idempotency-Key': msg.key },
      });
      if (info.rejected.length) return { ok: false, detail: `收件人被拒绝：${info.response}`, retryable: false };
      return { ok: true, detail: `SMTP ${info.response}` };
    } catch (err) {
      const e = err as SmtpError;
      const detail = `SMTP ${e.responseCode ?? e.code ?? 'ERROR'}：${(e.response ?? e.message ?? String(err)).slice(0, 300)}`;
      // 5xx is a permanent refusal (unknown mailbox, policy): sending again cannot help. 4xx and network errors can.
      const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500;
      return { ok: false, detail, retryable: !permanent };
    }
  }

  /**
   * Drops the mail log's lines written before cutoffMs (and lines without a time, from before lines had one), by
   * rewriting it beside itself and renaming; returns how many were dropped. Lines are in time order: once one is
   * kept, the rest are copied without parsing.
   */
  purgeLog(cutoffMs: number): Promise<number> {
    return this.onFile(async () => {
      const file = this.opts.logFile;
      if (!existsSync(file)) return 0;
      const tmp = `${file}.${process.pid}.tmp`;
      let dropped = 0;
      let keeping = false;
      const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
      async function* kept() {
        for await (const line of lines) {
          if (!keeping) {
            let at = Number.NaN;
            try {
              at = Date.parse((JSON.parse(line) as { at?: string }).at ?? '');
            } catch {
              /* unreadable: dropped */
            }
            keeping = at >= cutoffMs;
          }
          if (keeping) yield `${line}\n`;
          else dropped++;
        }
      }
      try {
        await pipeline(kept, createWriteStream(tmp, { flags: 'w', mode: 0o600 }));
        if (dropped > 0) await rename(tmp, file);
        else await rm(tmp, { force: true });
      } catch (err) {
        await rm(tmp, { force: true });
        throw err;
      }
      return dropped;
    });
  }

  /**
   * Drops every line of the mail log that mentions one of `needles` (an account being closed: its address, names,
   * complaint references), by the same rewrite beside the file; returns how many were dropped.
   */
  forget(needles: readonly string[]): Promise<number> {
    // As written in a JSON line: quotes and backslashes escaped, everything else as is.
    const forms = [
      ...new Set(needles.filter((n) => n.length >= 2).flatMap((n) => [n, JSON.stringify(n).slice(1, -1)])),
    ];
    return this.onFile(async () => {
      const file = this.opts.logFile;
      if (!existsSync(file) || !forms.length) return 0;
      const tmp = `${file}.${process.pid}.tmp`;
      let dropped = 0;
      const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
      async function* kept() {
        for await (const line of lines) {
          if (forms.some((f) => line.includes(f))) dropped++;
          else yield `${line}\n`;
        }
      }
      try {
        await pipeline(kept, createWriteStream(tmp, { flags: 'w', mode: 0o600 }));
        if (dropped > 0) await rename(tmp, file);
        else await rm(tmp, { force: true });
      } catch (err) {
        await rm(tmp, { force: true });
        throw err;
      }
      return dropped;
    });
  }

  private onFile<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.fileQueue.then(fn, fn);
    this.fileQueue = run.catch(() => {});
    return run;
  }

  close(): void {
    this.transport?.close();
  }
}
