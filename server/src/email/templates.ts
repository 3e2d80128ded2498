import { type InviteRole, neutralText } from "@claudemesh/sdk/contracts";
import { type Locale, translator } from "../i18n/locale.js";
import type { OutgoingEmail } from "./mailer.js";

/**
 * Longest a name people chose (an inviter's, a mesh's) runs in an email, in
 * characters: enough to recognise, too short to carry a message of its own.
 */
export const EMAIL_NAME_MAX = 40;

/**
 * A person-chosen name as an email shows it: no control, separator or bidi
 * characters (older rows may hold them), whitespace runs as one space, and at
 * most EMAIL_NAME_MAX characters, a longer one cut with "…".
 */
export function cappedName(name: string): string {
  // Line breaks become spaces first, so a name spread over lines still reads as words.
  const characters = Array.from(neutralText(name.replace(/\s+/g, " ")).trim());
  if (characters.length <= EMAIL_NAME_MAX) return characters.join("");
  return `${characters
    .slice(0, EMAIL_NAME_MAX - 1)
    .join("")
    .trimEnd()}…`;
}

/**
 * The invite email: a fixed subject with nothing anyone chose in it, and a
 * fixed body naming the inviter and the mesh only as capped, labelled fields.
 */
export function inviteEmail(input: {
  to: string;
  locale: Locale;
  inviter: string;
  mesh: string;
  role: InviteRole;
  url: string;
  expiresAt: Date;
}): OutgoingEmail {
  const t = translator(input.locale);
  const date = new Intl.DateTimeFormat(input.locale, { dateStyle: "long", timeStyle: "short", timeZone: "UTC" });
  return {
    to: input.to,
    subject: t("email.invite.subject"),
    text: [
      t("email.invite.intro"),
      "",
      `  ${t("email.invite.inviter")}: ${cappedName(input.inviter)}`,
      `  ${t("email.invite.mesh")}: ${cappedName(input.mesh)}`,
      `  ${t("email.invite.role")}: ${t(`role.${input.role}`)}`,
      "",
      t("email.invite.browser"),
      `  ${input.url}`,
      "",
      t("email.invite.terminal"),
      `  claudemesh join ${input.url}`,
      "",
      t("email.invite.expires", { date: `${date.format(input.expiresAt)} UTC` }),
      t("email.invite.verified"),
      t("email.invite.names"),
      t("email.invite.ignore"),
    ].join("\n"),
  };
}

/** The email that proves an account owns its address: fixed text and the link, nothing anyone chose. */
export function verificationEmail(input: { to: string; locale: Locale; url: string }): OutgoingEmail {
  const t = translator(input.locale);
  return {
    to: input.to,
    subject: t("email.verify.subject"),
    text: [t("email.verify.intro"), "", `  ${input.url}`, "", t("email.verify.expires"), t("email.verify.ignore")].join(
      "\n",
    ),
  };
}

/** The date and time an email states, in its language, in UTC. */
function emailTime(locale: Locale, at: Date): string {
  return `${new Intl.DateTimeFormat(locale, { dateStyle: "long", timeStyle: "short", timeZone: "UTC" }).format(at)} UTC`;
}

/**
 * A new CLI session, a new PAT or a password change, told to the account: what,
 * from which device and address, when, and a single-use "this wasn't me" link.
 * The device name was chosen by whoever signed in, so it is capped and labelled.
 */
export function securityNoticeEmail(input: {
  to: string;
  locale: Locale;
  kind: "cli-session" | "pat" | "password";
  device: string | null;
  flow: string | null;
  address: string | null;
  at: Date;
  url: string;
}): OutgoingEmail {
  const t = translator(input.locale);
  const unknown = t("email.notice.unknown");
  const flowKey = input.flow === "device-code" || input.flow === "browser" || input.flow === "web" ? input.flow : null;
  return {
    to: input.to,
    subject: t(`email.notice.${input.kind}.subject`),
    text: [
      t(`email.notice.${input.kind}.intro`),
      "",
      `  ${t("email.notice.device")}: ${input.device ? cappedName(input.device) : unknown}`,
      ...(flowKey ? [`  ${t("email.notice.flow")}: ${t(`origin.${flowKey}`)}`] : []),
      `  ${t("email.notice.address")}: ${input.address ?? unknown}`,
      `  ${t("email.notice.time")}: ${emailTime(input.locale, input.at)}`,
      "",
      t("email.notice.ifYou"),
      t("email.notice.ifNot"),
      `  ${input.url}`,
      "",
      t("email.notice.linkOnce"),
    ].join("\n"),
  };
}

/** The password reset link, asked for on /forgot-password: fixed text and the link. */
export function passwordResetEmail(input: { to: string; locale: Locale; url: string }): OutgoingEmail {
  const t = translator(input.locale);
  return {
    to: input.to,
    subject: t("email.reset.subject"),
    text: [t("email.reset.intro"), "", `  ${input.url}`, "", t("email.reset.expires"), t("email.reset.ignore")].join(
      "\n",
    ),
  };
}

/**
 * Someone tried to sign up with an address that has an account: sign-up answers
 * as if it were new, and the owner is told here, with the ways in.
 */
export function existingAccountEmail(input: {
  to: string;
  locale: Locale;
  signInUrl: string;
  resetUrl: string;
}): OutgoingEmail {
  const t = translator(input.locale);
  return {
    to: input.to,
    subject: t("email.existing.subject"),
    text: [
      t("email.existing.intro"),
      "",
      t("email.existing.signIn"),
      `  ${input.signInUrl}`,
      "",
      t("email.existing.reset"),
      `  ${input.resetUrl}`,
      "",
      t("email.existing.ignore"),
    ].join("\n"),
  };
}
