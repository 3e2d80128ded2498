import type { Child } from "hono/jsx";
import type { Translate } from "../i18n/locale.js";

/**
 * A secret the server shows once after a redirect (a new token, a new invite
 * link): a heading and what to do with it, the value in a read-only field, and
 * a copy button that the page's script reveals where copying works.
 */
export function ShownOnce(props: {
  t: Translate;
  testId: string;
  fieldId: string;
  title: Child;
  body: Child;
  label: Child;
  value: string;
}) {
  const { t } = props;
  return (
    <div class="notice info" role="status" data-testid={props.testId}>
      <strong>{props.title}</strong>
      <p>{props.body}</p>
      <label for={props.fieldId} class="skip">
        {props.label}
      </label>
      <div class="token-box">
        <input id={props.fieldId} type="text" readonly value={props.value} spellcheck={false} />
        <button
          type="button"
          class="small"
          data-copy={props.fieldId}
          data-copied-label={t("tokens.created.copied")}
          hidden
        >
          {t("tokens.created.copy")}
        </button>
      </div>
    </div>
  );
}
