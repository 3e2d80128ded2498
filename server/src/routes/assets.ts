import { Hono } from "hono";
import { SITE_ASSETS } from "../pages/assets/site-assets.js";

/** `/assets/site.css` and `/assets/site.js`: versioned by content, so cached for a year (nosniff: answer-headers.ts). */
export function assetRoutes() {
  const routes = new Hono();
  for (const asset of Object.values(SITE_ASSETS)) {
    const name = new URL(asset.path, "http://x").pathname.replace("/assets", "");
    routes.get(name, (c) =>
      c.body(asset.body, 200, {
        "content-type": asset.type,
        "cache-control": "public, max-age=31536000, immutable",
      }),
    );
  }
  return routes;
}
