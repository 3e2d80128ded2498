import { ApiClient, TelemetryBatch } from "@claudemesh/sdk";
import { TELEMETRY_BATCH_VARIABLE } from "./telemetry.js";

declare const CLAUDEMESH_VERSION: string;

/** Posts the batch a command left in the environment; any failure is dropped silently. */
export async function sendTelemetryBatch(env: NodeJS.ProcessEnv): Promise<void> {
  try {
    const { apiUrl, batch } = JSON.parse(env[TELEMETRY_BATCH_VARIABLE] ?? "") as { apiUrl: string; batch: unknown };
    const api = await ApiClient.create({ baseUrl: apiUrl, client: `claudemesh-cli/${CLAUDEMESH_VERSION}` });
    await api.sendTelemetry(TelemetryBatch.parse(batch));
  } catch {
    // Telemetry never complains.
  }
}
