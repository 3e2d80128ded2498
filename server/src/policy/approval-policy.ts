import { ClaudemeshError } from "@claudemesh/sdk/errors";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env.js";
import { requestInfo } from "../request-info.js";
import type { Networks } from "./networks.js";

/** What a server's owner allows of CLI sign-ins (DEVICE_FLOW, APPROVAL_NETWORKS). */
export interface ApprovalPolicy {
  /** False: no device codes are made or approved; `login --web` (loopback) and tokens still work. */
  deviceFlow: boolean;
  /** Where an approval (device code or browser login) may come from; null: anywhere. */
  approvalNetworks: Networks | null;
}

export const OPEN_POLICY: ApprovalPolicy = { deviceFlow: true, approvalNetworks: null };

export const deviceFlowDisabled = () =>
  new ClaudemeshError(
    "device_flow_disabled",
    "This server has device sign-in turned off; sign in with `claudemesh login --web` or a personal access token.",
  );

/**
 * Guards the routes that look up or approve a CLI sign-in: refuses them with
 * 403 (a page on the pages, JSON on the API: errors.tsx) when the flow is off,
 * or when the request's address (the socket's peer, or what trusted proxies
 * forwarded) lies outside the approval networks. Nothing is looked up or
 * counted before it passes.
 */
export function approvalGuard(policy: ApprovalPolicy, flow: "device" | "loopback"): MiddlewareHandler<AppEnv> {
  return (c, next) => {
    if (flow === "device" && !policy.deviceFlow) throw deviceFlowDisabled();
    if (policy.approvalNetworks && !policy.approvalNetworks.includes(requestInfo(c).ipAddress)) {
      throw new ClaudemeshError(
        "approval_network_refused",
        "This server accepts approvals of CLI sign-ins only from its own networks.",
      );
    }
    return next();
  };
}
