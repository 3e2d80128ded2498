export { ErrorBody, ErrorCode } from "./errors.js";
