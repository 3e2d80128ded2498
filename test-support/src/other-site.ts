import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll } from "vitest";

/** A hostile site for browser tests: `url(target)` serves `page(target)`. */
export interface OtherSite {
  /** The page that leads to `target` (an absolute URL on the server under test). */
  url(target: string): string;
}

/**
 * Registers hooks that serve another site on 127.0.0.1 (the servers under test
 * are `localhost`, so it is another site, not only another origin) whose page for
 * `/<encoded target>` is `page(target)`: a frame around it, a link to it, …
 */
export function useOtherSite(page: (target: string) => string): OtherSite {
  const server = createServer((request, response) => {
    response.writeHead(200, { "content-type": "text/html" });
    response.end(page(decodeURIComponent(request.url?.slice(1) ?? "")));
  });
  let origin = "";
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: (target) => `${origin}/${encodeURIComponent(target)}` };
}
