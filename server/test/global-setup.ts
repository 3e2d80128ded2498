import { startThrowawayPostgres } from "@claudemesh/test-support/throwaway-postgres";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** Superuser URL of the run's throwaway Postgres cluster. */
    postgresUrl: string;
  }
}

// One real Postgres cluster for the whole run; each test file makes its own database in it.
export default async function setup(project: TestProject) {
  const postgres = await startThrowawayPostgres();
  project.provide("postgresUrl", postgres.url);
  return () => postgres.stop();
}
