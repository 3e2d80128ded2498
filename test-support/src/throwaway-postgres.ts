import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { chmod, chown, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "./free-port.js";

const run = promisify(execFile);

export interface ThrowawayPostgres {
  /** Superuser connection string to the `postgres` database. */
  url: string;
  /** Kills the cluster as a crash or a pulled plug would (`pg_ctl stop -m immediate`); the data stays. */
  crash(): Promise<void>;
  /** Starts the cluster again on the same port, after `crash()`. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A real Postgres cluster in a temp dir on a free loopback port (Debian's
 * `postgresql` package). As root, the cluster runs as the `postgres` user,
 * because initdb refuses root. Throws with the reason when it cannot start.
 */
export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const bin = postgresBinDir();
  const dir = await mkdtemp(join(tmpdir(), "claudemesh-pg-"));
  const dataDir = join(dir, "data");
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? await postgresUser() : undefined;
  if (owner) {
    await chown(dir, owner.uid, owner.gid);
    await chmod(dir, 0o700);
  }
  const asOwner = (command: string, args: string[]) =>
    owner ? run("runuser", ["-u", "postgres", "--", command, ...args]) : run(command, args);

  const port = await freePort();
  const start = () =>
    asOwner(join(bin, "pg_ctl"), [
      "-D",
      dataDir,
      "-l",
      join(dir, "postgres.log"),
      "-o",
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
      "-w",
      "start",
    ]);
  const stopNow = () => asOwner(join(bin, "pg_ctl"), ["-D", dataDir, "-m", "immediate", "-w", "stop"]);
  try {
    await asOwner(join(bin, "initdb"), ["-D", dataDir, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"]);
    await start();
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    const detail = (error as { stderr?: string }).stderr || (error as Error).message;
    throw new Error(`Could not start a throwaway Postgres with ${bin}: ${detail}`);
  }

  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async crash() {
      await stopNow();
    },
    async restart() {
      await start();
    },
    async stop() {
      await stopNow().catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Debian's newest installed Postgres binaries. */
export function postgresBinDir(): string {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((name) => existsSync(join(root, name, "bin", "initdb")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions[0]) {
    throw new Error("Postgres is not installed (no /usr/lib/postgresql/*/bin/initdb): apt-get install -y postgresql");
  }
  return join(root, versions[0], "bin");
}

async function postgresUser(): Promise<{ uid: number; gid: number }> {
  try {
    const { stdout } = await run("id", ["postgres"]);
    const uid = Number(/uid=(\d+)/.exec(stdout)?.[1]);
    const gid = Number(/gid=(\d+)/.exec(stdout)?.[1]);
    return { uid, gid };
  } catch {
    throw new Error("Running as root needs the `postgres` user that Debian's postgresql package creates.");
  }
}

/** Runs one SQL statement with psql against `url`; returns what it printed (unaligned, no headers). */
export async function psql(url: string, statement: string): Promise<string> {
  const { stdout } = await run(`${postgresBinDir()}/psql`, [
    "--no-psqlrc",
    "-At",
    "-v",
    "ON_ERROR_STOP=1",
    url,
    "-c",
    statement,
  ]);
  return stdout.trim();
}
