// What the suites outside the server (e2e, hardening) read from it, so they test
// against the server's own tables and words rather than copies or `../` paths.
// Not part of the running server: nothing in src imports this file.
export { EMAIL_NAME_MAX } from "./email/templates.js";
export { translator } from "./i18n/locale.js";
export { RATE_LIMITS } from "./limits/rate-limits.js";
