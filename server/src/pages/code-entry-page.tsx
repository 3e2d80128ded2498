import { Layout } from "./layout.js";
import { Markup } from "./message-page.js";
import type { PageContext } from "./page-context.js";

/**
 * `/cli-auth`: a form to type the code, or to confirm the one the link carried
 * (`prefilled`). It posts to our own origin, where the code is looked up: a
 * link opened from another site fills the form in but looks nothing up.
 */
export function CodeEntryPage(props: { page: PageContext; typed?: string; invalid?: boolean; prefilled?: boolean }) {
  const { page } = props;
  const { t } = page;
  return (
    <Layout page={page} title={t("device.enter.title")}>
      <section class="card">
        <h1>{t("device.enter.title")}</h1>
        <p class="lead">
          <Markup text={t(props.prefilled ? "device.enter.check" : "device.enter.body")} />
        </p>
        {props.invalid ? (
          <p class="notice error" role="alert" id="code-error">
            {t("device.enter.invalid")}
          </p>
        ) : null}
        <form method="post" action="/cli-auth">
          <div class="field">
            <label for="code">{t("device.enter.label")}</label>
            <input
              id="code"
              name="code"
              type="text"
              class="code-input"
              placeholder="ABCD-EFGH"
              autocomplete="one-time-code"
              autocapitalize="characters"
              spellcheck={false}
              maxlength={20}
              required
              autofocus={!props.prefilled}
              value={props.typed ?? ""}
              aria-describedby={props.invalid ? "code-error" : undefined}
            />
          </div>
          <button type="submit" class="primary block" autofocus={props.prefilled}>
            {t("device.enter.submit")}
          </button>
        </form>
      </section>
    </Layout>
  );
}
