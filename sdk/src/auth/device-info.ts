import { arch, hostname, platform } from "node:os";
import type { DeviceCodeRequest } from "../contracts/index.js";
import { hasVisibleCharacter, neutralText, withoutInvisibleCharacters } from "../contracts/neutral-text.js";

/**
 * How this machine introduces itself on the approval page: host name, OS and architecture.
 * The host name is neutral text without invisible characters, since the server refuses both in it.
 */
export function deviceInfo(host: string = hostname()): DeviceCodeRequest {
  const name = withoutInvisibleCharacters(neutralText(host)).trim().slice(0, 200);
  return {
    device_name: hasVisibleCharacter(name) ? name : "unknown device",
    device_os: platform(),
    device_arch: arch(),
  };
}
