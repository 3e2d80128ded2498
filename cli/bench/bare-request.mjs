// The floor under `claudemesh whoami`: Node starting, then one GET of whoami over
// node:http with the token, the answer parsed and printed; no arguments, no
// credential store, no contract check. `pnpm bench cli` times it beside the CLI.
import { request } from "node:http";

const url = new URL("api/my/whoami", `${process.env.CLAUDEMESH_API_URL}/`);
const outgoing = request(url, { headers: { authorization: `Bearer ${process.env.CLAUDEMESH_TOKEN}` } }, (incoming) => {
  let body = "";
  incoming.on("data", (chunk) => {
    body += chunk;
  });
  incoming.on("end", () => {
    process.stdout.write(`${JSON.parse(body).user.name}\n`);
  });
});
outgoing.end();
