import { DEFAULT_PAT_LIFETIME_DAYS } from "@claudemesh/sdk/contracts";
import type { MessageKey } from "../i18n/en.js";
import type { TokenRow } from "../tokens/token-store.js";
import { browserLabel, compactAddress } from "./browser-label.js";
import { Layout } from "./layout.js";
import { Markup } from "./message-page.js";
import type { PageContext } from "./page-context.js";
import { ShownOnce } from "./shown-once.js";

/** The expirations offered for a new token: form value → label. */
export const EXPIRY_CHOICES = [
  { value: "30", days: 30, label: "tokens.new.days30" },
  { value: "90", days: 90, label: "tokens.new.days90" },
  { value: "365", days: 365, label: "tokens.new.year" },
  { value: "never", days: null, label: "tokens.new.never" },
] as const satisfies readonly { value: string; days: number | null; label: MessageKey }[];

/** The expiry selected on a new form: the one default lifetime, as the API, the CLI and VS Code use. */
export const DEFAULT_EXPIRY =
  EXPIRY_CHOICES.find((choice) => choice.days === DEFAULT_PAT_LIFETIME_DAYS)?.value ??
  String(DEFAULT_PAT_LIFETIME_DAYS);

export interface NewTokenForm {
  name: string;
  expiry: string;
  error?: MessageKey;
}

export const TOKENS_PATH = "/dashboard/settings/cli-tokens";

/** A table's column headings; the last, unlabelled column holds the row's actions. */
function HeadingRow(props: { page: PageContext; columns: MessageKey[] }) {
  const { t } = props.page;
  return (
    <thead>
      <tr>
        {props.columns.map((column) => (
          <th scope="col">{t(column)}</th>
        ))}
        <th scope="col">
          <span class="skip">{t("tokens.col.actions")}</span>
        </th>
      </tr>
    </thead>
  );
}

/** "Revoke" on a row: a link to the confirmation page, named after what it revokes. */
function RevokeCell(props: { page: PageContext; row: TokenRow }) {
  const { t } = props.page;
  const { row } = props;
  return (
    <td class="actions-cell">
      <a
        class="button small"
        href={`${TOKENS_PATH}/revoke/${row.id}`}
        aria-label={t("tokens.revokeNamed", { name: row.deviceName ?? row.name ?? "" })}
      >
        {t("tokens.revoke")}
      </a>
    </td>
  );
}

/**
 * Where a credential came from: how it was obtained, from which browser (a
 * PAT; a session names its device in its own column), and the address.
 */
function OriginCells(props: { page: PageContext; row: TokenRow }) {
  const { t } = props.page;
  const { row } = props;
  const browser = row.kind === "pat" ? browserLabel(row.userAgent) : null;
  return (
    <>
      <td data-label={t("tokens.col.origin")}>
        <span>
          {t(row.flow ? `origin.${row.flow}` : "origin.unknown")}
          {browser ? <span class="muted"> · {browser}</span> : null}
        </span>
      </td>
      <td data-label={t("tokens.col.address")}>
        <span class="address">{row.ipAddress ? compactAddress(row.ipAddress) : "—"}</span>
      </td>
    </>
  );
}

function dateFormatter(page: PageContext) {
  const format = new Intl.DateTimeFormat(page.locale, { dateStyle: "medium" });
  return (date: Date | null, none: string) =>
    date ? <time datetime={date.toISOString()}>{format.format(date)}</time> : none;
}

/**
 * `/dashboard/settings/cli-tokens`: the user's personal access tokens (with
 * the form to make one, and the new token shown once) and the terminals
 * signed in with `claudemesh login`, each revocable.
 */
export function CliTokensPage(props: {
  page: PageContext;
  pats: TokenRow[];
  sessions: TokenRow[];
  created?: { name: string; token: string };
  form?: NewTokenForm;
  done?: MessageKey;
}) {
  const { page } = props;
  const { t } = page;
  const date = dateFormatter(page);
  const form = props.form ?? { name: "", expiry: DEFAULT_EXPIRY };
  return (
    <Layout page={page} title={t("tokens.title")} wide>
      <section class="card">
        <h1>{t("tokens.title")}</h1>
        <p class="lead">{t("tokens.intro")}</p>
        {props.done ? (
          <p class="notice ok" role="status">
            {t(props.done)}
          </p>
        ) : null}
        {props.created ? (
          <ShownOnce
            t={t}
            testId="new-token"
            fieldId="new-token-value"
            title={t("tokens.created.title", { name: props.created.name })}
            body={t("tokens.created.body")}
            label={t("tokens.created.label")}
            value={props.created.token}
          />
        ) : null}
      </section>

      <section class="card" aria-labelledby="pats-title">
        <div class="section-head">
          <h2 id="pats-title">{t("tokens.pats.title")}</h2>
        </div>
        <p class="muted">
          <Markup text={t("tokens.pats.body")} />
        </p>
        {props.pats.length === 0 ? (
          <p class="empty">{t("tokens.pats.empty")}</p>
        ) : (
          <table class="responsive" data-testid="pat-table">
            <HeadingRow
              page={page}
              columns={[
                "tokens.col.name",
                "tokens.col.origin",
                "tokens.col.address",
                "tokens.col.created",
                "tokens.col.lastUsed",
                "tokens.col.expires",
              ]}
            />
            <tbody>
              {props.pats.map((row) => (
                <tr>
                  <td data-label={t("tokens.col.name")}>
                    <strong>{row.name}</strong>
                  </td>
                  <OriginCells page={page} row={row} />
                  <td data-label={t("tokens.col.created")}>{date(row.createdAt, "")}</td>
                  <td data-label={t("tokens.col.lastUsed")}>{date(row.lastUsedAt, t("tokens.never"))}</td>
                  <td data-label={t("tokens.col.expires")}>{date(row.expiresAt, t("tokens.noExpiry"))}</td>
                  <RevokeCell page={page} row={row} />
                </tr>
              ))}
            </tbody>
          </table>
        )}

        <h2 id="new-token-title" class="new-token-title">
          {t("tokens.new.title")}
        </h2>
        {form.error ? (
          <p class="notice error" role="alert" id="new-token-error">
            {t(form.error)}
          </p>
        ) : null}
        <form
          method="post"
          action={TOKENS_PATH}
          class="new-token"
          aria-labelledby="new-token-title"
          aria-describedby={form.error ? "new-token-error" : undefined}
        >
          <div class="field">
            <label for="token-name">{t("tokens.new.name")}</label>
            <input
              id="token-name"
              name="name"
              type="text"
              maxlength={100}
              required
              placeholder={t("tokens.new.namePlaceholder")}
              value={form.name}
            />
          </div>
          <div class="field">
            <label for="token-expiry">{t("tokens.new.expiry")}</label>
            <select id="token-expiry" name="expiry" aria-describedby="never-warning">
              {EXPIRY_CHOICES.map((choice) => (
                <option value={choice.value} selected={choice.value === form.expiry}>
                  {t(choice.label)}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" class="primary">
            {t("tokens.new.submit")}
          </button>
        </form>
        <p class="hint" id="never-warning">
          {t("tokens.new.neverWarning")}
        </p>
      </section>

      <section class="card" aria-labelledby="sessions-title">
        <h2 id="sessions-title">{t("tokens.sessions.title")}</h2>
        <p class="muted">
          <Markup text={t("tokens.sessions.body")} />
        </p>
        {props.sessions.length === 0 ? (
          <p class="empty">{t("tokens.sessions.empty")}</p>
        ) : (
          <table class="responsive" data-testid="session-table">
            <HeadingRow
              page={page}
              columns={[
                "tokens.col.device",
                "tokens.col.origin",
                "tokens.col.address",
                "tokens.col.created",
                "tokens.col.lastUsed",
              ]}
            />
            <tbody>
              {props.sessions.map((row) => (
                <tr>
                  <td data-label={t("tokens.col.device")}>
                    <span>
                      <strong>{row.deviceName ?? row.name}</strong>
                      {row.deviceOs ? (
                        <span class="muted">
                          {" "}
                          · {row.deviceOs} · {row.deviceArch}
                        </span>
                      ) : null}
                    </span>
                  </td>
                  <OriginCells page={page} row={row} />
                  <td data-label={t("tokens.col.created")}>{date(row.createdAt, "")}</td>
                  <td data-label={t("tokens.col.lastUsed")}>{date(row.lastUsedAt, t("tokens.never"))}</td>
                  <RevokeCell page={page} row={row} />
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </Layout>
  );
}

/** "Revoke …?" before a token or session goes: a plain form, so it needs no script. */
export function RevokeConfirmPage(props: { page: PageContext; row: TokenRow }) {
  const { page, row } = props;
  const { t } = page;
  const title =
    row.kind === "pat"
      ? t("tokens.confirm.patTitle", { name: row.name ?? "" })
      : t("tokens.confirm.sessionTitle", { device: row.deviceName ?? row.name ?? "" });
  const body = row.kind === "pat" ? t("tokens.confirm.patBody") : t("tokens.confirm.sessionBody");
  return (
    <Layout page={page} title={title}>
      <section class="card">
        <h1>{title}</h1>
        <p class="muted">
          <Markup text={body} />
        </p>
        <div class="actions">
          <a class="button" href={TOKENS_PATH}>
            {t("tokens.confirm.cancel")}
          </a>
          <form method="post" action={`${TOKENS_PATH}/revoke/${row.id}`}>
            <button type="submit" class="danger">
              {t("tokens.confirm.submit")}
            </button>
          </form>
        </div>
      </section>
    </Layout>
  );
}
