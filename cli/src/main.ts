// The `claudemesh` entry point: answers --version before loading anything
// else, so the cheapest call stays as fast as Node starting; every other
// command loads the program (and the SDK) as a separate chunk. Built as
// CommonJS (see build.mjs), so no top-level await.

declare const CLAUDEMESH_VERSION: string;

async function main(args: string[]): Promise<void> {
  if (args.length === 1 && (args[0] === "--version" || args[0] === "-v")) {
    process.stdout.write(`${CLAUDEMESH_VERSION}\n`);
    return;
  }
  if (args[0] === "__send-telemetry" /* SEND_TELEMETRY_COMMAND, not imported: this path stays small */) {
    // A detached child of a finished command posts the queued usage events; nobody waits for it.
    const { sendTelemetryQueue } = await import("./telemetry-sender.js");
    await sendTelemetryQueue(process.env);
    return;
  }
  // Node 22.8+ keeps the chunks' compiled code in os.tmpdir()/node-compile-cache for the next run; Node 20 lacks it.
  const nodeModule = process.getBuiltinModule("node:module");
  if ("enableCompileCache" in nodeModule && typeof nodeModule.enableCompileCache === "function") {
    nodeModule.enableCompileCache();
  }
  const { run } = await import("./program.js");
  const status = await run(process.argv);
  // The command is done: flush what it printed and leave, rather than wait for
  // fetch's keep-alive socket and timers (~90 ms) or a keychain call that hung.
  const flushed = (stream: NodeJS.WriteStream) => new Promise((resolve) => stream.write("", resolve));
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(status);
}

void main(process.argv.slice(2));
