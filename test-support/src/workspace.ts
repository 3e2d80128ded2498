import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The repository's root. This package is the one place that knows the workspace's
 * layout, so tests find another package's build through it, never by `../` paths.
 */
export const WORKSPACE_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The built server (`pnpm build`), as `pnpm start` and deployments run it. */
export const SERVER_BUNDLE = join(WORKSPACE_ROOT, "server", "dist", "main.js");

/** The built `claudemesh` binary (`pnpm build`). */
export const CLI_BUNDLE = join(WORKSPACE_ROOT, "cli", "dist", "claudemesh.js");
