import { type Locale, translator } from "../i18n/locale.js";
import type { OutgoingEmail } from "./mailer.js";

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
