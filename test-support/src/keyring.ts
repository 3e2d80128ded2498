import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** What a test's processes need in their environment to reach the keyring: keytar (libsecret) only talks D-Bus. */
export interface KeyringEnv {
  DBUS_SESSION_BUS_ADDRESS: string;
}

/** One item under service `claudemesh`, as `secret-tool search --all` shows it; `secret` is null while locked. */
export interface KeyringEntry {
  account: string;
  secret: string | null;
}

export interface Keyring {
  /** Give this to every process that should use the keyring (the CLI, code-server, the SDK in-process). */
  readonly env: KeyringEnv;
  /** The two daemons, so a test can check they are gone after stop(). */
  readonly pids: { bus: number; service: number };
  /** Locks the login collection: reads answer null, writes are refused (as on a desktop after a screen lock). */
  lock(): Promise<void>;
  /** Unlocks it again with its password, as the desktop's login does (gnome-keyring's control socket). */
  unlock(): Promise<void>;
  /** Freezes the service (SIGSTOP): calls are accepted by the bus and never answered, like a prompt nobody sees. */
  hang(): void;
  resume(): void;
  /** Kills gnome-keyring; the bus stays, so calls fail at once with "not provided by any .service files". */
  stopService(): Promise<void>;
  /** Every claudemesh entry in the keyring. */
  entries(): Promise<KeyringEntry[]>;
  /** Kills both daemons and removes the keyring's files; nothing is left running. */
  stop(): Promise<void>;
}

export interface KeyringOptions {
  /** How long the daemons may take to start (a busy machine); default 15 s. */
  timeoutMs?: number;
}

const SECRETS_NAME = "org.freedesktop.secrets";
const LOGIN_COLLECTION = "/org/freedesktop/secrets/collection/login";
const PASSWORD = "claudemesh-test-keyring";

// A session bus without service directories: nothing is auto-started on it, so a killed service stays
// gone (the system's session.conf would start a gnome-keyring on the real HOME's keyring instead).
const busConfig = (dir: string) => `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=${dir}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`;

/**
 * A real Secret Service, as on a Linux desktop: a private D-Bus session bus and
 * an unlocked gnome-keyring on it, with its keyring in a fresh temp dir (never
 * the real HOME's). Resolves once the login collection answers, unlocked.
 * Both daemons are children of this process (a killed one is reaped, not left a
 * zombie) and are killed when it exits, even by SIGKILL.
 *
 * @example
 * const keyring = await startKeyring();
 * runCli(["login"], { ...keyring.env, CLAUDEMESH_API_URL: url });
 * expect(await keyring.entries()).toEqual([{ account: new URL(url).origin, secret: expect.any(String) }]);
 * await keyring.stop();
 */
export async function startKeyring(options: KeyringOptions = {}): Promise<Keyring> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const deadline = Date.now() + timeoutMs;
  const dir = await mkdtemp(join(tmpdir(), "claudemesh-keyring-"));
  const runtimeDir = join(dir, "run");
  await mkdir(runtimeDir, { mode: 0o700 });
  await writeFile(join(dir, "bus.conf"), busConfig(dir));

  const bus = spawn("dbus-daemon", [`--config-file=${join(dir, "bus.conf")}`, "--nofork", "--print-address=1"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const children: ChildProcess[] = [bus];
  let watchdog: ChildProcess | undefined;
  const killAll = () => {
    watchdog?.kill("SIGKILL");
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGCONT"); // a hung (stopped) service would not act on SIGTERM until continued
        child.kill("SIGTERM");
      }
    }
  };
  process.once("exit", killAll);
  const fail = async (why: string): Promise<never> => {
    killAll();
    process.removeListener("exit", killAll);
    await Promise.all(children.map(exited));
    await rm(dir, { recursive: true, force: true });
    throw new Error(`Could not start a test keyring (dbus-daemon + gnome-keyring-daemon): ${why}`);
  };

  let address: string;
  try {
    address = await firstLine(bus, deadline);
  } catch (error) {
    return fail(`dbus-daemon: ${(error as Error).message}`);
  }
  const env: KeyringEnv = { DBUS_SESSION_BUS_ADDRESS: address };
  const daemonEnv = {
    PATH: process.env.PATH ?? "",
    HOME: dir,
    XDG_DATA_HOME: join(dir, "data"),
    XDG_CONFIG_HOME: join(dir, "config"),
    XDG_RUNTIME_DIR: runtimeDir,
    ...env,
  };
  const service = spawn("gnome-keyring-daemon", ["--unlock", "--components=secrets", "--foreground"], {
    env: daemonEnv,
    stdio: ["pipe", "ignore", "pipe"],
  });
  children.push(service);
  let serviceErr = "";
  service.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    serviceErr += chunk;
  });
  // --unlock reads the password until end of input; it creates the login keyring with it.
  service.stdin?.end(PASSWORD);

  // If this process is killed outright, its exit handler never runs: the watchdog's stdin closes instead.
  watchdog = spawn(
    "sh",
    ["-c", 'read -r _; kill -CONT "$@"; kill -TERM "$@"', "keyring-watchdog", ...pidsOf(children)],
    {
      stdio: ["pipe", "ignore", "ignore"],
    },
  );
  for (const child of [...children, watchdog]) {
    child.unref();
    for (const stream of [child.stdin, child.stdout, child.stderr])
      (stream as { unref?: () => void } | null)?.unref?.();
  }

  const dbus = (args: string[]) => run("gdbus", ["call", "--session", ...args], { env: { ...process.env, ...env } });
  const loginLocked = async () => {
    const { stdout } = await dbus([
      "--dest",
      SECRETS_NAME,
      "--object-path",
      LOGIN_COLLECTION,
      "--method",
      "org.freedesktop.DBus.Properties.Get",
      "org.freedesktop.Secret.Collection",
      "Locked",
    ]);
    return stdout.includes("true");
  };
  // Ready means the login collection answers over the bus, unlocked — not merely that the name is owned.
  for (;;) {
    if (service.exitCode !== null) return fail(`gnome-keyring-daemon exited with ${service.exitCode}: ${serviceErr}`);
    if (Date.now() > deadline) return fail(`the login collection did not answer unlocked within ${timeoutMs} ms`);
    const unlocked = await loginLocked().then(
      (locked) => !locked,
      () => false,
    );
    if (unlocked) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }

  const expectLocked = async (want: boolean) => {
    const locked = await loginLocked();
    if (locked !== want) throw new Error(`the test keyring is ${locked ? "still locked" : "still unlocked"}`);
  };
  const stopChild = async (child: ChildProcess) => {
    child.ref(); // unreferenced, its exit would not keep this process alive long enough to be seen
    child.kill("SIGCONT");
    child.kill("SIGTERM");
    await exited(child);
  };

  return {
    env,
    pids: { bus: bus.pid ?? -1, service: service.pid ?? -1 },
    async lock() {
      await dbus([
        "--dest",
        SECRETS_NAME,
        "--object-path",
        "/org/freedesktop/secrets",
        "--method",
        "org.freedesktop.Secret.Service.Lock",
        `[objectpath '${LOGIN_COLLECTION}']`,
      ]);
      await expectLocked(true);
    },
    async unlock() {
      await unlockWithControlSocket(join(runtimeDir, "keyring", "control"), PASSWORD);
      await expectLocked(false);
    },
    hang() {
      service.kill("SIGSTOP");
    },
    resume() {
      service.kill("SIGCONT");
    },
    async stopService() {
      await stopChild(service);
    },
    async entries() {
      // secret-tool prints an item's attributes on stderr and the rest on stdout: one unbuffered
      // stream keeps each item's lines together.
      const { stdout } = await run("sh", ["-c", "stdbuf -o0 secret-tool search --all service claudemesh 2>&1"], {
        env: { ...process.env, ...env },
      }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? "" }));
      return parseSearch(stdout);
    },
    async stop() {
      process.removeListener("exit", killAll);
      watchdog?.kill("SIGKILL");
      // Both signalled before either is awaited: if this process ends meanwhile, neither is left behind.
      await Promise.all([stopChild(service), stopChild(bus)]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** `secret-tool search --all` output → entries (items start with `[/path]`). */
export function parseSearch(output: string): KeyringEntry[] {
  const entries: KeyringEntry[] = [];
  let current: { account?: string; secret: string | null } | undefined;
  const flush = () => {
    if (current?.account !== undefined) entries.push({ account: current.account, secret: current.secret });
  };
  for (const line of output.split("\n")) {
    if (/^\[\/.*\]$/.test(line)) {
      flush();
      current = { secret: null };
      continue;
    }
    const match = /^(secret|attribute\.account) = (.*)$/.exec(line);
    if (!current || !match) continue;
    if (match[1] === "secret") current.secret = match[2] ?? "";
    else current.account = match[2] ?? "";
  }
  flush();
  return entries;
}

function pidsOf(children: ChildProcess[]): string[] {
  return children.flatMap((child) => (child.pid === undefined ? [] : [String(child.pid)]));
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

function firstLine(child: ChildProcess, deadline: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    const timer = setTimeout(() => reject(new Error(`printed no address in time. ${err}`)), deadline - Date.now());
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      err += chunk;
    });
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
      const line = out.split("\n");
      if (line.length > 1 && line[0]) {
        clearTimeout(timer);
        resolve(line[0].trim());
      }
    });
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}: ${err}`));
    });
  });
}

/**
 * gnome-keyring's control protocol (daemon/control/gkd-control-client.c): a credentials byte, then
 * a big-endian packet `length, op = 1 (unlock), password length, password`; it answers `8, result`.
 * The Secret Service's own Unlock would ask a prompter, which a headless bus does not have.
 */
function unlockWithControlSocket(socketPath: string, password: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const secret = Buffer.from(password, "utf8");
    const packet = Buffer.alloc(12 + secret.length);
    packet.writeUInt32BE(packet.length, 0);
    packet.writeUInt32BE(1, 4);
    packet.writeUInt32BE(secret.length, 8);
    secret.copy(packet, 12);
    const socket = createConnection(socketPath);
    let answer = Buffer.alloc(0);
    socket.once("error", reject);
    socket.once("connect", () => socket.write(Buffer.concat([Buffer.from([0]), packet])));
    socket.on("data", (chunk: Buffer) => {
      answer = Buffer.concat([answer, chunk]);
      if (answer.length < 8) return;
      socket.end();
      const result = answer.readUInt32BE(4);
      if (result === 0) resolve();
      else reject(new Error(`gnome-keyring refused to unlock (control result ${result})`));
    });
  });
}
