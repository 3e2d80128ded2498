export * from "./contracts/index.js";
export { ClaudemeshError, ERROR_CODES, ExitStatus, isAuthError } from "./errors.js";
