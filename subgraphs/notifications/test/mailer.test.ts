import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createSmtpMailer, type Mailer } from '../src/mailer.js';
import { decodeHeader, startSmtpStandIn, type SmtpStandIn } from './smtpStandIn.js';

describe('SMTP mailer (nodemailer) against a real SMTP server', () => {
  let smtp: SmtpStandIn;
  let mailer: Mailer;

  beforeAll(async () => {
    smtp = await startSmtpStandIn();
    mailer = createSmtpMailer({ url: smtp.url, from: 'Shop <no-reply@shop.local>' });
  });

  afterAll(async () => {
    await mailer?.close();
    await smtp?.stop();
  });

  it('delivers the message with its To, From, Subject and body', async () => {
    await mailer.send({ to: 'alice@example.com', subject: 'Order confirmation SO-1', text: 'Hello Alice,\r\n\r\n.a line starting with a dot' });
    expect(smtp.received).toHaveLength(1);
    const [mail] = smtp.received;
    expect(mail!.from).toBe('no-reply@shop.local');
    expect(mail!.to).toEqual(['alice@example.com']);
    expect(mail!.headers.to).toBe('alice@example.com');
    expect(mail!.headers.from).toBe('Shop <no-reply@shop.local>');
    expect(mail!.headers.subject).toBe('Order confirmation SO-1');
    expect(mail!.raw).toContain('Hello Alice,');
    expect(mail!.raw).toContain('.a line starting with a dot');
  });

  it('keeps non-ASCII subjects intact', async () => {
    await mailer.send({ to: 'dora@example.de', subject: 'Bestellbestätigung SO-2', text: 'Grüße' });
    expect(decodeHeader(smtp.received.at(-1)!.headers.subject!)).toBe('Bestellbestätigung SO-2');
  });

  it('rejects when the server refuses the recipient', async () => {
    smtp.rejected.add('nobody@example.com');
    await expect(mailer.send({ to: 'nobody@example.com', subject: 'x', text: 'y' })).rejects.toThrow(/550/);
  });
});
