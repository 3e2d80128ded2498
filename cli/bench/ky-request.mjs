// The floor under `claudemesh whoami`: Node starting, ky loading, one GET of whoami
// through ky with the token, the answer parsed and printed, then exit as the CLI does;
// no arguments, no credential store, no contract check. `pnpm bench cli` times it
// beside the CLI, which sends the same request through the same ky.
import ky from "ky";

const me = await ky
  .get("api/my/whoami", {
    prefixUrl: process.env.CLAUDEMESH_API_URL,
    headers: { authorization: `Bearer ${process.env.CLAUDEMESH_TOKEN}` },
  })
  .json();
process.stdout.write(`${me.user.name}\n`);
// Without this, fetch's keep-alive socket holds the process open for seconds.
process.exit(0);
