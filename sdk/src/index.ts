export * from "./contracts/index.js";
export { ClaudemeshError, ERROR_CODES, ExitStatus, isAuthError } from "./errors.js";
export {
  isWellFormedToken,
  mintToken,
  type ParsedToken,
  parseToken,
  redactToken,
  TOKEN_SCAN_REGEX,
  type TokenKind,
} from "./token.js";
