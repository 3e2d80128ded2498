import nodemailer from "nodemailer";
import type { MailTransport } from "./mailer.js";

/** A nodemailer transport for `SMTP_URL` (e.g. `smtps://user:pass@smtp.example.com`). */
export function smtpTransport(smtpUrl: string): MailTransport {
  return nodemailer.createTransport(smtpUrl);
}
