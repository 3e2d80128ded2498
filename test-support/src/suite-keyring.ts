import { inject } from "vitest";
import type { TestProject } from "vitest/node";
import { type KeyringEnv, startKeyring } from "./keyring.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The test run's keyring (see suite-keyring.ts). */
    keyringEnv: KeyringEnv;
  }
}

/**
 * The root vitest config's globalSetup: ONE real keyring (gnome-keyring on a
 * private D-Bus session) for the whole run, as a desktop has. Its bus address
 * goes into this process's environment before any worker starts, so workers and
 * every process they spawn with the inherited environment meet it — and never
 * the developer's own desktop keyring. Tests do not collide in it: each starts
 * its own server on a random port, and the keychain account is the server's origin.
 */
export default async function setup(project: TestProject) {
  const keyring = await startKeyring();
  Object.assign(process.env, keyring.env);
  project.provide("keyringEnv", keyring.env);
  return () => keyring.stop();
}

/**
 * The run's keyring env, for harnesses that build a child's environment from
 * scratch (`{ PATH, HOME, … }`): spread it in, or the child meets no keychain.
 */
export function suiteKeyringEnv(): KeyringEnv {
  const env = inject("keyringEnv");
  if (!env) {
    throw new Error(
      "No test keyring: run vitest from the repository root, whose vitest.config.ts starts one (test-support/src/suite-keyring.ts).",
    );
  }
  return env;
}
