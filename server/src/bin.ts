// The `claudemesh-server` command (dist/main.js): turns on Node's module compile cache,
// then loads the server (main.ts, bundled as dist/server.js). Node compiles a module and
// its static imports before running any of it, so a call inside the bundle would come
// too late to cache the bundle itself (measured: it cached nothing).

// Node 22.8+ keeps compiled code in os.tmpdir()/node-compile-cache (or NODE_COMPILE_CACHE); Node 20 lacks the API.
const nodeModule = process.getBuiltinModule("node:module");
if ("enableCompileCache" in nodeModule && typeof nodeModule.enableCompileCache === "function") {
  nodeModule.enableCompileCache();
}
await import("./main.js");
