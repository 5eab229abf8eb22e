import nodemailer from 'nodemailer';
import type { SmtpSettings } from '@gmao/config';

/** One email: plain text with its HTML alternative. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Sends emails through the configured SMTP server (ADR 0017). */
export interface Mailer {
  /** Resolves once the SMTP server accepted the message (250 after DATA); rejects otherwise. */
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/**
 * A nodemailer SMTP transport from the SMTP_* settings. No pooling: a digest run sends a
 * few hundred messages at most, once a day. Timeouts are bounded, so that a silent server
 * fails the attempt (state `failed`, retried by the next run) instead of holding the row's
 * lock for long.
 */
export function createMailer(settings: SmtpSettings): Mailer {
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    ...(settings.auth ? { auth: settings.auth } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(message) {
      const info = await transport.sendMail({ from: settings.from, ...message });
      if (info.rejected.length > 0) throw new Error(`SMTP server rejected ${info.rejected.map(String).join(', ')}`);
    },
    close: () => transport.close(),
  };
}
