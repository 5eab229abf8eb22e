import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A message the test SMTP server accepted (250 after DATA). */
export interface ReceivedMail {
  /** The envelope's recipients (RCPT TO). */
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
}

/**
 * What the server does with the next messages: accept them; refuse them after DATA (a 451,
 * as a mail server out of resources answers); or accept `acceptBefore` more then stall, never
 * answering the next DATA (the sender waits, as during a slow delivery).
 */
export type SmtpBehaviour = { mode: 'accept' } | { mode: 'refuse' } | { mode: 'stall'; acceptBefore: number };

export interface TestSmtpServer {
  host: string;
  port: number;
  received: ReceivedMail[];
  /** Messages whose DATA arrived and was never answered (mode stall). */
  stalled(): number;
  behave(b: SmtpBehaviour): void;
  /** Waits until `n` messages were accepted (or fails after `ms`). */
  waitForAccepted(n: number, ms?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real SMTP server (the `smtp-server` package) in the test process, on a free port of
 * 127.0.0.1, without TLS nor authentication: the product's mailer talks SMTP to it as to the
 * hospital's relay, and the test reads what it received, parsed by `mailparser`.
 */
export async function startSmtpServer(): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  let behaviour: SmtpBehaviour = { mode: 'accept' };
  let acceptedInStall = 0;
  let stalled = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    // close() does not wait for a stalled connection longer than this.
    closeTimeout: 200,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (behaviour.mode === 'refuse') {
          callback(Object.assign(new Error('Boîte d’envoi saturée, réessayez plus tard (test)'), { responseCode: 451 }));
          return;
        }
        if (behaviour.mode === 'stall') {
          if (acceptedInStall >= behaviour.acceptBefore) {
            stalled += 1;
            return; // never answered
          }
          acceptedInStall += 1;
        }
        simpleParser(Buffer.concat(chunks)).then(
          (mail) => {
            received.push({
              to: session.envelope.rcptTo.map((r) => r.address),
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              html: typeof mail.html === 'string' ? mail.html : '',
            });
            callback();
          },
          (err: Error) => callback(err),
        );
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    host: '127.0.0.1',
    port,
    received,
    stalled: () => stalled,
    behave(b) {
      behaviour = b;
      acceptedInStall = 0;
    },
    async waitForAccepted(n, ms = 20_000) {
      const end = Date.now() + ms;
      while (received.length < n) {
        if (Date.now() > end) throw new Error(`timeout: ${received.length} of ${n} messages accepted`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
