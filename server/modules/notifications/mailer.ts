// Sends one e-mail: through SMTP (nodemailer, SMTP_URL) when configured, otherwise appended as one JSON line to
// DATA_DIR/mail-outbox.log, so nothing is lost and a newcomer can read what would have gone out.
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** Stable across retries; sent as Message-ID and X-Idempotency-Key so a receiving system can drop duplicates. */
  key: string;
}

export type MailResult = { ok: true; detail: string } | { ok: false; detail: string; retryable: boolean };

interface SmtpError { responseCode?: number; response?: string; code?: string; message?: string }

export class Mailer {
  private readonly transport: Transporter<SMTPTransport.SentMessageInfo> | null;

  constructor(private readonly opts: { smtpUrl: string | null; from: string; logFile: string; timeoutMs?: number }) {
    const t = opts.timeoutMs ?? 10_000;
    this.transport = opts.smtpUrl
      ? nodemailer.createTransport({ url: opts.smtpUrl, connectionTimeout: t, greetingTimeout: t, socketTimeout: t } as SMTPTransport.Options)
      : null;
  }

  get mode(): 'smtp' | 'file' { return this.transport ? 'smtp' : 'file'; }

  async send(msg: MailMessage): Promise<MailResult> {
    const messageId = `<${msg.key.replace(/[^A-Za-z0-9._-]/g, '.')}@wallet-complaints>`;
    if (!this.transport) {
      await mkdir(dirname(this.opts.logFile), { recursive: true });
      const line = JSON.stringify({ messageId, from: this.opts.from, to: msg.to, subject: msg.subject, text: msg.text, key: msg.key });
      await appendFile(this.opts.logFile, `${line}\n`, 'utf8');
      return { ok: true, detail: `未配置 SMTP_URL：已写入 ${this.opts.logFile}` };
    }
    try {
      const info = await this.transport.sendMail({
        from: this.opts.from, to: msg.to, subject: msg.subject, text: msg.text, messageId, headers: { 'X-Idempotency-Key': msg.key },
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

  close(): void { this.transport?.close(); }
}
