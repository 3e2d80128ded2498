// Runs one CredentialStore action with the real keytar, in whatever D-Bus
// environment the test started it in, and prints the outcome as one JSON line.
//   keychain-probe <save|load|clear> <configDir> <apiUrl> [token]
import { CredentialStore } from "../../src/credentials/credential-store.js";
import { ClaudemeshError, englishNotice } from "../../src/errors.js";

const [action, configDir, apiUrl, token] = process.argv.slice(2);
const notices: string[] = [];
const store = new CredentialStore({
  apiUrl: apiUrl ?? "",
  configDir,
  onNotice: (notice) => notices.push(englishNotice(notice)),
});
const started = performance.now();
try {
  let result: unknown;
  if (action === "save") {
    result = await store.save({
      token: token ?? "",
      user: { id: "u1", name: "Ada", email: "ada@example.test" },
      expiresAt: null,
      source: "device-code",
    });
  } else if (action === "load") {
    const loaded = await store.load();
    result = loaded && { token: loaded.token, store: loaded.store };
  } else {
    result = { removed: await store.clear() };
  }
  console.log(JSON.stringify({ ok: true, result, notices, ms: performance.now() - started }));
} catch (error) {
  const code = error instanceof ClaudemeshError ? error.code : "unexpected";
  console.log(
    JSON.stringify({ ok: false, code, message: (error as Error).message, notices, ms: performance.now() - started }),
  );
}
// A keychain call that timed out may still hold the event loop; the answer is out.
process.exit(0);
