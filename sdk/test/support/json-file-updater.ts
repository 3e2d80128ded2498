// Child process for the lock test: waits for "go" on stdin, then adds its own
// keys to one JSON file through PrivateJsonFile.update, as fast as it can.
import * as z from "zod";
import { PrivateJsonFile } from "../../src/files/private-json-file.js";

const [path = "", name = "", rounds = "1"] = process.argv.slice(2);
const file = new PrivateJsonFile({
  path,
  schema: z.record(z.string(), z.number()),
  corrupt: { code: "invalid_input" },
});
process.stdout.write("ready\n");
process.stdin.once("data", async () => {
  for (let round = 0; round < Number(rounds); round += 1) {
    await file.update((current) => ({ ...current, [`${name}-${round}`]: process.pid }));
  }
  process.stdout.write("done\n");
  process.exit(0);
});
