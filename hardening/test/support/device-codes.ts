import { expect } from "vitest";

/** The device a hardening test logs in as. */
export const DEVICE = { device_name: "hardening", device_os: "linux", device_arch: "x64" };

/** `POST /api/auth/cli/device-code` on one server, as the CLI starts a login; it must answer 201. */
export async function requestDeviceCode(baseUrl: string) {
  const response = await fetch(`${baseUrl}/api/auth/cli/device-code`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(DEVICE),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { device_code: string; user_code: string };
}

export interface PollAnswer {
  httpStatus: number;
  body: { status?: string; token?: string | null; error?: string };
}

/** One poll of a device code, held open up to `waitSeconds`, answered whatever its status. */
export async function pollDeviceCode(baseUrl: string, deviceCode: string, waitSeconds = 0): Promise<PollAnswer> {
  const response = await fetch(`${baseUrl}/api/auth/cli/device-code/${deviceCode}?wait=${waitSeconds}`);
  return { httpStatus: response.status, body: (await response.json()) as PollAnswer["body"] };
}
