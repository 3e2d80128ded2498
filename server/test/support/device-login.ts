import { DeviceCodeResponse, DevicePollResponse } from "@claudemesh/sdk/contracts";
import { POLL_INTERVAL_MS } from "../../src/device-codes/device-code-store.js";
import type { TestAccount, TestApp } from "./test-app.js";

export const DEVICE = { device_name: "Ada's laptop", device_os: "linux", device_arch: "x64" };

/** Asks for a device code as the CLI does, checking the answer against the contract. */
export async function requestDeviceCode(testApp: TestApp, device = DEVICE): Promise<DeviceCodeResponse> {
  const response = await testApp.postJson("/api/auth/cli/device-code", device);
  if (response.status !== 201) throw new Error(`device-code failed: ${response.status} ${await response.text()}`);
  return DeviceCodeResponse.parse(await response.json());
}

/** One poll, after letting the interval pass on the test clock. */
export async function poll(testApp: TestApp, deviceCode: string, wait?: number) {
  testApp.clock.advance(POLL_INTERVAL_MS);
  const query = wait === undefined ? "" : `?wait=${wait}`;
  const response = await testApp.get(`/api/auth/cli/device-code/${deviceCode}${query}`);
  return { status: response.status, body: (await response.json()) as unknown };
}

/** Poll and expect a 200 that matches the contract. */
export async function pollOk(testApp: TestApp, deviceCode: string, wait?: number): Promise<DevicePollResponse> {
  const { status, body } = await poll(testApp, deviceCode, wait);
  if (status !== 200) throw new Error(`poll answered ${status}: ${JSON.stringify(body)}`);
  return DevicePollResponse.parse(body);
}

export function decide(testApp: TestApp, userCode: string, decision: "approve" | "deny", account: TestAccount) {
  return testApp.postJson(`/api/auth/cli/device-code/${userCode}/${decision}`, {}, { cookie: account.cookie });
}

/** The whole device login for `account`: request, approve, poll. Returns the minted session token. */
export async function deviceLogin(testApp: TestApp, account: TestAccount, device = DEVICE): Promise<string> {
  const code = await requestDeviceCode(testApp, device);
  const approved = await decide(testApp, code.user_code, "approve", account);
  if (approved.status !== 200) throw new Error(`approve failed: ${approved.status} ${await approved.text()}`);
  const result = await pollOk(testApp, code.device_code);
  if (!result.token) throw new Error(`no token in ${JSON.stringify(result)}`);
  return result.token;
}
