export { HTTP_STATUS } from "../errors/wire.js";
export { Timestamp, User } from "./common.js";
export {
  DeviceCodeRequest,
  DeviceCodeResponse,
  DeviceCodeStatus,
  DeviceDecisionResponse,
  DeviceFingerprint,
  DevicePollResponse,
  formatUserCode,
  normalizeUserCode,
  SlowDownBody,
  USER_CODE_ALPHABET,
  USER_CODE_LENGTH,
} from "./device-code.js";
export { ErrorBody, ErrorCode } from "./errors.js";
export {
  EDITOR_EXTENSION_ID,
  EDITOR_URI_SCHEMES,
  isEditorRedirect,
  isLoopbackRedirect,
  isSignInRedirect,
  LoopbackAuthorizeQuery,
  LoopbackTokenRequest,
  LoopbackTokenResponse,
  redirectTarget,
} from "./loopback.js";
export {
  AcceptedInvite,
  CreatedInvite,
  CreateInviteRequest,
  CreateMeshRequest,
  DEFAULT_INVITE_SECONDS,
  InviteEmailStatus,
  InvitePreview,
  InviteRole,
  inviteSecretFrom,
  isMeshIdShaped,
  MAX_INVITE_SECONDS,
  MESH_SLUG_PATTERN,
  Mesh,
  MeshList,
  MeshRole,
  SlugTakenBody,
  slugify,
} from "./meshes.js";
export {
  DisplayName,
  escapeUnsafeCharacters,
  hasUnsafeCharacters,
  hasVisibleCharacter,
  invisibleCharacter,
  neutralizeStrings,
  neutralText,
  UNSAFE_NAME_MESSAGE,
  withoutInvisibleCharacters,
} from "./neutral-text.js";
export { CliSession, RevokedResponse, SessionList } from "./sessions.js";
export { TelemetryBatch, TelemetryEventName } from "./telemetry.js";
export {
  CreatedToken,
  CreateTokenRequest,
  DEFAULT_PAT_LIFETIME_DAYS,
  PAT_LIFETIMES_DAYS,
  TokenList,
  TokenSummary,
} from "./tokens.js";
export { CredentialKind, Whoami } from "./whoami.js";
