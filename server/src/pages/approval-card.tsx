import type { Child } from "hono/jsx";

export interface ApprovalDevice {
  name: string;
  os: string;
  arch: string;
  ipAddress?: string | null;
}

/**
 * "Link this CLI session?": the device to check before approving, the account
 * it will be linked to, and the device-code phishing warning. Actions are
 * passed in (form posts here, script buttons on the device-code page).
 */
export function ApprovalCard(props: { device: ApprovalDevice; email: string; code?: string; actions: Child }) {
  const { device } = props;
  return (
    <>
      <h1>Link this CLI session?</h1>
      <dl>
        {props.code ? (
          <>
            <dt>Code</dt>
            <dd>
              <strong>{props.code}</strong>
            </dd>
          </>
        ) : null}
        <dt>Device</dt>
        <dd>
          {device.name} · {device.os} · {device.arch}
        </dd>
        {device.ipAddress ? (
          <>
            <dt>From</dt>
            <dd>{device.ipAddress}</dd>
          </>
        ) : null}
        <dt>Account</dt>
        <dd>{props.email}</dd>
      </dl>
      <p class="warning">Approve only if you just started this sign-in in your own terminal.</p>
      <div class="actions">{props.actions}</div>
    </>
  );
}
