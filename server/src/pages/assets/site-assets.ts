import { createHash } from "node:crypto";
import { PASSKEY_SCRIPT } from "./passkey-script.js";
import { SITE_CSS } from "./site-css.js";
import { SITE_SCRIPT } from "./site-script.js";

function asset(name: string, body: string, type: string) {
  // The content hash in the path lets browsers cache it for good.
  const version = createHash("sha256").update(body).digest("hex").slice(0, 10);
  return { path: `/assets/${name}?v=${version}`, body, type };
}

/** The stylesheet and scripts the pages link to, with cache-busting paths. */
export const SITE_ASSETS = {
  css: asset("site.css", SITE_CSS, "text/css; charset=utf-8"),
  script: asset("site.js", SITE_SCRIPT, "text/javascript; charset=utf-8"),
  /** Loaded only by the pages with passkey buttons (sign-in, confirm, security). */
  passkey: asset("passkey.js", PASSKEY_SCRIPT, "text/javascript; charset=utf-8"),
};
