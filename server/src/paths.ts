import { fileURLToPath } from "node:url";

// This file sits one level below server/, as does the bundle (dist/server.js),
// so the same relative URL finds the committed migrations from source and from the build.

/** `server/migrations`: the SQL drizzle-kit generated, applied at start. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../migrations", import.meta.url));
