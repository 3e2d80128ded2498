import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { type RunningServer, startClaudemeshServer } from "@claudemesh/test-support/server-process";
import {
  postgresBinDir,
  startThrowawayPostgres,
  type ThrowawayPostgres,
} from "@claudemesh/test-support/throwaway-postgres";
import { type RoundRobin, startRoundRobin } from "./round-robin.js";

const run = promisify(execFile);

export interface Cluster {
  postgres: ThrowawayPostgres;
  /** What clients are given: every request goes to the next instance in turn. */
  balancer: RoundRobin;
  /** The instances, reachable one by one (for "made on A, approved on B"). */
  instances: RunningServer[];
  /** Everything the instances printed, for tests that search logs. */
  logs(): string;
  stop(): Promise<void>;
}

/** `count` server processes on one real Postgres behind a round-robin balancer, as a self-hoster would scale out. */
export async function startCluster(count = 2, env: Record<string, string> = {}): Promise<Cluster> {
  const postgres = await startThrowawayPostgres();
  const balancer = await startRoundRobin();
  let output = "";
  const instances: RunningServer[] = [];
  try {
    // One at a time: each migrates under the advisory lock anyway, and the log stays in order.
    for (let i = 0; i < count; i += 1) {
      instances.push(
        await startClaudemeshServer({
          databaseUrl: postgres.url,
          publicUrl: balancer.url,
          env,
          onOutput: (text) => {
            output += text;
          },
        }),
      );
    }
  } catch (error) {
    await Promise.all(instances.map((instance) => instance.stop()));
    await balancer.close();
    await postgres.stop();
    throw error;
  }
  balancer.setBackends(instances.map((instance) => instance.url));
  return {
    postgres,
    balancer,
    instances,
    logs: () => output,
    async stop() {
      await Promise.all(instances.map((instance) => instance.stop()));
      await balancer.close();
      await postgres.stop();
    },
  };
}

/** Every row of every table, as `pg_dump --data-only` prints it. */
export async function dumpDatabase(postgres: ThrowawayPostgres): Promise<string> {
  const { stdout } = await run(`${postgresBinDir()}/pg_dump`, ["--data-only", "--dbname", postgres.url], {
    maxBuffer: 256 * 1024 * 1024,
  });
  return stdout;
}
