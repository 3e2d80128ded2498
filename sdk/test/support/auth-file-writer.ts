// Child process for the atomicity test: rewrites auth.json as fast as it can,
// alternating two large versions, until it is killed.
import { AuthFileStore } from "../../src/credentials/file-store.js";
import { sampleAuthFile } from "./sample-auth-file.js";

const store = new AuthFileStore({ configDir: process.argv[2] });
const versions = [sampleAuthFile("A"), sampleAuthFile("B")];
process.stdout.write("ready\n");
for (let i = 0; ; i += 1) await store.write(versions[i % 2] as (typeof versions)[number]);
