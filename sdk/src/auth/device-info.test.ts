import { describe, expect, it } from "vitest";
import { DeviceCodeRequest } from "../contracts/index.js";
import { deviceInfo } from "./device-info.js";

describe("deviceInfo", () => {
  it("sends an odd host name as neutral text the server accepts", () => {
    const device = deviceInfo("build\u001b]0;owned\u0007-box\r\u202e01");
    expect(device.device_name).toBe("build]0;owned-box01");
    expect(DeviceCodeRequest.safeParse(device).success).toBe(true);
  });

  it("names a machine whose host name is all control characters (or empty) 'unknown device'", () => {
    expect(deviceInfo("\u001b\r\n\u202e").device_name).toBe("unknown device");
    expect(deviceInfo("").device_name).toBe("unknown device");
  });

  it("drops invisible characters from a host name, which the server would refuse", () => {
    const device = deviceInfo("build\u200b-box\u3164");
    expect(device.device_name).toBe("build-box");
    expect(DeviceCodeRequest.safeParse(device).success).toBe(true);
    expect(deviceInfo("\u3164\u200b\u2800").device_name).toBe("unknown device");
  });

  it("keeps a long host name within the 200 characters the server takes", () => {
    expect(deviceInfo("h".repeat(300)).device_name).toHaveLength(200);
    expect(DeviceCodeRequest.safeParse(deviceInfo("h".repeat(300))).success).toBe(true);
  });
});
