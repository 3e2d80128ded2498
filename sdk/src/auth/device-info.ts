import { arch, hostname, platform } from "node:os";
import type { DeviceCodeRequest } from "../contracts/index.js";

/** How this machine introduces itself on the approval page: host name, OS and architecture. */
export function deviceInfo(): DeviceCodeRequest {
  return {
    device_name: (hostname() || "unknown device").slice(0, 200),
    device_os: platform(),
    device_arch: arch(),
  };
}
