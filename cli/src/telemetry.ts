import { spawn } from "node:child_process";
import {
  type LocalConfigStore,
  type TelemetryBatch,
  type TelemetryEventName,
  TelemetryQueue,
  type TelemetrySettings,
} from "@claudemesh/sdk";
import { en } from "./i18n/en.js";

/** The environment variable that tells the detached sender where to send, and as which installation. */
export const TELEMETRY_TARGET_VARIABLE = "CLAUDEMESH_TELEMETRY_TARGET";
/** The hidden command the detached sender runs. */
export const SEND_TELEMETRY_COMMAND = "__send-telemetry";

/** The notice in English (each catalogue has it as `telemetry.notice`). */
export const TELEMETRY_NOTICE = en.telemetry.notice;

type Properties = Record<string, string | number | boolean | null>;

export interface TelemetryState {
  enabled: boolean;
  /** Why: DO_NOT_TRACK / CLAUDEMESH_TELEMETRY, `claudemesh telemetry on|off`, or the default. */
  decidedBy: "environment" | "setting" | "default";
  installId: string;
}

/**
 * Opt-out usage events (seed "Telemetry"). Events are collected while a
 * command runs and queued in the config folder when it ends; every so often
 * (enough events, or an hour since the oldest) a detached process posts the
 * queue, so a slow or absent server never delays or fails a command, and most
 * commands start no process at all.
 */
export class Telemetry {
  readonly #events: TelemetryBatch["events"] = [];
  readonly #config: () => LocalConfigStore;
  readonly #env: NodeJS.ProcessEnv;
  readonly #apiUrl: () => string;
  #cached: Promise<TelemetrySettings> | undefined;
  /** The command that ran, e.g. "tokens create"; set by the program, never with arguments. */
  command: string | undefined;

  constructor(deps: { config: () => LocalConfigStore; env: NodeJS.ProcessEnv; apiUrl: () => string }) {
    this.#config = deps.config;
    this.#env = deps.env;
    this.#apiUrl = deps.apiUrl;
  }

  /** Off when DO_NOT_TRACK is set or CLAUDEMESH_TELEMETRY is 0/false/off, whatever the setting says. */
  get disabledByEnvironment(): boolean {
    const doNotTrack = this.#env.DO_NOT_TRACK;
    const own = this.#env.CLAUDEMESH_TELEMETRY?.trim().toLowerCase();
    return (
      (doNotTrack !== undefined && doNotTrack !== "" && doNotTrack !== "0") ||
      own === "0" ||
      own === "false" ||
      own === "off"
    );
  }

  async state(): Promise<TelemetryState> {
    const settings = await this.#settings();
    if (this.disabledByEnvironment) return { enabled: false, decidedBy: "environment", installId: settings.install_id };
    if (settings.enabled !== null) {
      return { enabled: settings.enabled, decidedBy: "setting", installId: settings.install_id };
    }
    return { enabled: true, decidedBy: "default", installId: settings.install_id };
  }

  async setEnabled(enabled: boolean): Promise<void> {
    await this.#change({ enabled, notice_shown: true });
  }

  /** True the first time telemetry is on and nobody has been told yet; remembers that they have been. */
  async takeNotice(): Promise<boolean> {
    if (this.disabledByEnvironment) return false;
    const settings = await this.#settings();
    if (settings.notice_shown || settings.enabled === false) return false;
    await this.#change({ notice_shown: true });
    return true;
  }

  /** The settings, read from config.json once per run (the notice, the status and the dispatch all ask). */
  #settings(): Promise<TelemetrySettings> {
    this.#cached ??= this.#config().telemetry();
    return this.#cached;
  }

  async #change(patch: Partial<TelemetrySettings>): Promise<void> {
    const settings = { ...(await this.#settings()), ...patch };
    await this.#config().update((config) => ({ ...config, telemetry: { ...config.telemetry, ...settings } }));
    this.#cached = Promise.resolve(settings);
  }

  record(event: TelemetryEventName, properties: Properties = {}): void {
    this.#events.push({ event, at: new Date().toISOString(), properties });
  }

  /** Queues what was recorded (if telemetry is on) and, when the queue is due, starts the sender; returns at once. */
  async dispatch(): Promise<void> {
    if (this.#events.length === 0 || this.disabledByEnvironment) return;
    let state: TelemetryState;
    try {
      state = await this.state();
    } catch {
      return; // an unreadable config.json is reported by the commands that need it
    }
    if (!state.enabled) return;
    const queue = new TelemetryQueue({ configDir: this.#config().dir });
    const due = await queue.append(this.#events.splice(0), new Date());
    const script = process.argv[1];
    if (!due || !script) return;
    const target = JSON.stringify({ apiUrl: this.#apiUrl(), installId: state.installId, configDir: queue.dir });
    const child = spawn(process.execPath, [script, SEND_TELEMETRY_COMMAND], {
      detached: true,
      stdio: "ignore",
      env: { ...this.#env, [TELEMETRY_TARGET_VARIABLE]: target },
    });
    child.on("error", () => {});
    child.unref();
  }
}
