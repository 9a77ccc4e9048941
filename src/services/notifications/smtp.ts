import nodemailer from 'nodemailer';
import type { SendMail } from './notifications.service.ts';

/**
 * An SMTP sender from a URL such as `smtps://user:pass@mail.example.org:465`
 * (nodemailer: SMTP with TLS, authentication and pooling is not worth writing again).
 */
export function smtpSender(url: string, from: string): SendMail {
  const transport = nodemailer.createTransport(url);
  return async (message) => {
    await transport.sendMail({ from, to: message.to, subject: message.subject, text: message.text });
  };
}
