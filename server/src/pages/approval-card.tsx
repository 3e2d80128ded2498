import { neutralText } from "@claudemesh/sdk/contracts";
import type { Child } from "hono/jsx";
import { addressKey } from "../limits/address-key.js";
import type { PageContext } from "./page-context.js";

export interface ApprovalDevice {
  name: string;
  os: string;
  arch: string;
  ipAddress?: string | null;
}

/** `m:ss` left until `expiresAt`, as the countdown first shows it (the script takes over from there). */
function timeLeft(expiresAt: Date, now: Date): string {
  const seconds = Math.max(0, Math.round((expiresAt.getTime() - now.getTime()) / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

/** "30 seconds ago", "hace 2 minutos": a code is minutes old, so relative time reads best. */
function ago(then: Date, now: Date, locale: string): string {
  const seconds = Math.max(0, Math.round((now.getTime() - then.getTime()) / 1000));
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  return seconds < 60 ? relative.format(-seconds, "second") : relative.format(-Math.floor(seconds / 60), "minute");
}

/**
 * "Link this CLI session?": the code and device to check against the
 * terminal, where the request came from, the account it will be linked to,
 * and the device-code phishing warning. The actions are passed in (form posts).
 */
export function ApprovalCard(props: {
  page: PageContext;
  device: ApprovalDevice;
  code?: string;
  requestedAt?: Date;
  expiresAt?: Date;
  now: Date;
  /** The approver's own address: a request from another network gets a louder warning. */
  approverAddress?: string | null;
  /** Where the browser takes the approval (a browser sign-in's redirect), so the person sees it before approving. */
  destination?: string;
  actions: Child;
}) {
  const { page, device } = props;
  const { t } = page;
  const viewer = page.viewer;
  const otherNetwork =
    device.ipAddress && props.approverAddress && addressKey(device.ipAddress) !== addressKey(props.approverAddress);
  return (
    <section class="card" aria-labelledby="approval-title">
      <h1 id="approval-title">{t("device.card.title")}</h1>
      {props.expiresAt ? (
        <p
          class="countdown"
          data-expires-at={props.expiresAt.toISOString()}
          data-template={t("device.card.expiresIn", { time: "{time}" })}
          data-expired-text={t("device.card.expiredNow")}
          aria-live="off"
        >
          {t("device.card.expiresIn", { time: timeLeft(props.expiresAt, props.now) })}
        </p>
      ) : null}
      <dl class="facts">
        {props.code ? (
          <>
            <dt>{t("device.card.code")}</dt>
            <dd class="user-code" data-testid="user-code">
              {props.code}
            </dd>
          </>
        ) : null}
        <dt>{t("device.card.device")}</dt>
        <dd data-testid="device">
          <bdi>{neutralText(device.name)}</bdi> · <bdi>{neutralText(device.os)}</bdi> ·{" "}
          <bdi>{neutralText(device.arch)}</bdi>
        </dd>
        {device.ipAddress ? (
          <>
            <dt>{t("device.card.from")}</dt>
            <dd>{device.ipAddress}</dd>
          </>
        ) : null}
        {props.requestedAt ? (
          <>
            <dt>{t("device.card.requested")}</dt>
            <dd>
              <time datetime={props.requestedAt.toISOString()}>{ago(props.requestedAt, props.now, page.locale)}</time>
            </dd>
          </>
        ) : null}
        {props.destination ? (
          <>
            <dt>{t("device.card.goesTo")}</dt>
            <dd data-testid="destination">{t("device.card.onThisComputer", { target: props.destination })}</dd>
          </>
        ) : null}
        {viewer ? (
          <>
            <dt>{t("device.card.account")}</dt>
            <dd>
              {viewer.name} ({viewer.email})
            </dd>
          </>
        ) : null}
      </dl>
      {otherNetwork ? (
        <p class="notice error" role="alert" data-testid="other-network">
          {t("device.card.otherNetwork", { from: device.ipAddress ?? "", you: props.approverAddress ?? "" })}
        </p>
      ) : null}
      <p class="notice warn" role="note">
        {t("device.card.warning")}
      </p>
      <div class="actions">{props.actions}</div>
    </section>
  );
}

/** An Approve or Deny button: a plain form post, so the page works without script. */
export function DecisionButton(props: {
  action: string;
  fields: Record<string, string>;
  decision: "approve" | "deny";
  label: string;
}) {
  return (
    <form method="post" action={props.action}>
      {Object.entries(props.fields).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <button
        type="submit"
        name="decision"
        value={props.decision}
        class={props.decision === "approve" ? "primary" : undefined}
        data-expiring
      >
        {props.label}
      </button>
    </form>
  );
}
