import { ApiClient, TelemetryQueue } from "@claudemesh/sdk";
import { TELEMETRY_TARGET_VARIABLE } from "./telemetry.js";

declare const CLAUDEMESH_VERSION: string;

/** Posts the queued usage events in batches; any failure drops them silently. */
export async function sendTelemetryQueue(env: NodeJS.ProcessEnv): Promise<void> {
  try {
    const target = JSON.parse(env[TELEMETRY_TARGET_VARIABLE] ?? "") as {
      apiUrl: string;
      installId: string;
      configDir: string;
    };
    const events = await new TelemetryQueue({ configDir: target.configDir }).takeAll();
    const api = await ApiClient.create({ baseUrl: target.apiUrl, client: `claudemesh-cli/${CLAUDEMESH_VERSION}` });
    for (let start = 0; start < events.length; start += 50) {
      await api.sendTelemetry({ install_id: target.installId, events: events.slice(start, start + 50) });
    }
  } catch {
    // Telemetry never complains.
  }
}
