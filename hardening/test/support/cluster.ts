import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { type RunningServer, startClaudemeshServer } from "@claudemesh/test-support/server-process";
import { type SmtpInbox, startSmtpInbox } from "@claudemesh/test-support/smtp-inbox";
import {
  postgresBinDir,
  startThrowawayPostgres,
  type ThrowawayPostgres,
} from "@claudemesh/test-support/throwaway-postgres";
import { afterAll, beforeAll } from "vitest";
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

/** Two instances on one Postgres that send their mail to a real SMTP server, as the suite using it runs. */
export interface MailedCluster {
  cluster: Cluster;
  inbox: SmtpInbox;
  /** The balancer's address: where clients go. */
  url: string;
}

/**
 * A `MailedCluster` for the enclosing `describe`: started before its first test,
 * stopped after its last. Its fields are set once the suite has started.
 */
export function useMailedCluster(): MailedCluster {
  const mailed = {} as MailedCluster;
  beforeAll(async () => {
    mailed.inbox = await startSmtpInbox();
    mailed.cluster = await startCluster(2, { SMTP_URL: mailed.inbox.url });
    mailed.url = mailed.cluster.balancer.url;
  });
  afterAll(async () => {
    await mailed.cluster?.stop();
    await mailed.inbox?.close();
  });
  return mailed;
}

/** Every row of every table, as `pg_dump --data-only` prints it. */
export async function dumpDatabase(postgres: ThrowawayPostgres): Promise<string> {
  const { stdout } = await run(`${postgresBinDir()}/pg_dump`, ["--data-only", "--dbname", postgres.url], {
    maxBuffer: 256 * 1024 * 1024,
  });
  return stdout;
}
