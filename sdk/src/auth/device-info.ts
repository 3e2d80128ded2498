import { arch, hostname, platform } from "node:os";
import type { DeviceCodeRequest } from "../contracts/index.js";
import { neutralText } from "../contracts/neutral-text.js";

/**
 * How this machine introduces itself on the approval page: host name, OS and architecture.
 * The host name is neutral text, since the server refuses control and bidi characters in it.
 */
export function deviceInfo(host: string = hostname()): DeviceCodeRequest {
  return {
    device_name: neutralText(host).trim().slice(0, 200) || "unknown device",
    device_os: platform(),
    device_arch: arch(),
  };
}
