import { MessagePage, type Tone } from "../pages/message-page.js";
import type { PageContext } from "../pages/page-context.js";
import { VERIFIED_PATH } from "./verification-email.js";

/** Where the resend form posts. */
export const RESEND_PATH = `${VERIFIED_PATH}/resend`;

/** One button that sends the signed-in account a new verification link, coming back to `next` once it is opened. */
export function ResendForm(props: { page: PageContext; next: string; label?: string }) {
  return (
    <form method="post" action={RESEND_PATH}>
      <input type="hidden" name="next" value={props.next} />
      <button type="submit" class="primary block">
        {props.label ?? props.page.t("verify.resend")}
      </button>
    </form>
  );
}

/** A verification outcome: what happened, then either a way on (`next`) or a new link. */
export function VerificationPage(props: {
  page: PageContext;
  title: string;
  message: string;
  tone: Tone;
  next: string;
  offer: "continue" | "resend" | "none";
}) {
  const { page } = props;
  return (
    <MessagePage page={page} title={props.title} message={props.message} tone={props.tone}>
      {props.offer === "continue" ? (
        <div class="actions">
          <a class="button primary" href={props.next}>
            {page.t("verify.continue")}
          </a>
        </div>
      ) : null}
      {props.offer === "resend" ? <ResendForm page={page} next={props.next} /> : null}
    </MessagePage>
  );
}

/** `/invite/:secret` for an email-bound invite the account cannot take yet: why, and a new link. */
export function UnverifiedInvitePage(props: { page: PageContext; email: string; next: string }) {
  const { t } = props.page;
  return (
    <MessagePage
      page={props.page}
      title={t("invite.unverified.title")}
      message={t("invite.unverified.body", { email: props.email })}
      tone="neutral"
    >
      <ResendForm page={props.page} next={props.next} label={t("invite.unverified.resend")} />
    </MessagePage>
  );
}
