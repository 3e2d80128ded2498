import { createPgliteTemplate, PGLITE_TEMPLATE_ENV } from "./pglite-template.js";

/**
 * The root vitest config's globalSetup: one PGlite initdb for the whole run (see
 * pglite-template.ts). Its folder goes into this process's environment before any
 * worker starts, so every worker, and every server a test spawns, copies it.
 */
export default async function setup() {
  const template = await createPgliteTemplate();
  process.env[PGLITE_TEMPLATE_ENV] = template.dir;
  return () => template.remove();
}
