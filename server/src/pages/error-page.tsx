import type { ErrorCode } from "@claudemesh/sdk/errors";
import type { MessageKey } from "../i18n/en.js";
import { MessagePage, type Tone } from "./message-page.js";
import type { PageContext } from "./page-context.js";

/** The words for the errors a person meets in a browser; the codes of malformed requests share one. */
const TEXTS: Partial<Record<ErrorCode, { title: MessageKey; body: MessageKey; tone: Tone }>> = {
  not_found: { title: "notFound.title", body: "notFound.body", tone: "neutral" },
  // On the pages, only the same-origin check refuses with forbidden.
  forbidden: { title: "refused.title", body: "refused.body", tone: "bad" },
  database_unavailable: { title: "unavailable.title", body: "unavailable.body", tone: "bad" },
  device_flow_disabled: { title: "deviceFlowOff.title", body: "deviceFlowOff.body", tone: "neutral" },
  approval_network_refused: { title: "networkRefused.title", body: "networkRefused.body", tone: "bad" },
  server_error: { title: "serverError.title", body: "serverError.body", tone: "bad" },
};
const MALFORMED = { title: "badRequest.title", body: "badRequest.body", tone: "bad" } as const;

/** The page a failed request shows a person, in their language; the status is the caller's. */
export function ErrorPage(props: { page: PageContext; code: ErrorCode }) {
  const { t } = props.page;
  const text = TEXTS[props.code] ?? MALFORMED;
  return (
    <MessagePage page={props.page} title={t(text.title)} message={t(text.body)} tone={text.tone}>
      {props.code === "not_found" ? (
        <p class="switch-form">
          <a href="/">{t("notFound.home")}</a>
        </p>
      ) : null}
    </MessagePage>
  );
}
