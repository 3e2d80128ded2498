export { ApiClient, type ApiClientOptions, normalizeBaseUrl } from "./api/client.js";
export { type AuthorizationAnswer, AuthorizationRequest } from "./auth/authorization-request.js";
export { type BrowserUrlCheck, type BrowserUrlRefusal, checkBrowserUrl } from "./auth/browser-url.js";
export {
  type DeviceCheck,
  DeviceFlow,
  type DeviceFlowDeps,
  type DeviceFlowEvent,
  type DeviceFlowOptions,
  type LoginResult,
} from "./auth/device-flow.js";
export { deviceInfo } from "./auth/device-info.js";
export {
  LoopbackFlow,
  type LoopbackFlowDeps,
  type LoopbackFlowEvent,
  type LoopbackFlowOptions,
} from "./auth/loopback-flow.js";
export {
  checkPendingLogin,
  PendingLogin,
  type PendingLoginCheck,
  type PendingLoginFlowDeps,
  PendingLoginStore,
  type PendingLoginStoreOptions,
  pendingDeviceCode,
  waitForPendingLogin,
} from "./auth/pending-login.js";
export { type ResolvedCredential, resolveCredential, type TokenSource } from "./auth/resolve.js";
export {
  type ApiFactory,
  type Connection,
  type CredentialSources,
  checkIdentity,
  connect,
  type IdentityCheck,
  requireCredential,
} from "./auth/session.js";
export type { SessionRevocation } from "./auth/session-revocation.js";
export { type KeptLogin, keepLogin, signInWithToken, type TokenSignIn } from "./auth/sign-in.js";
export { type SignOutResult, signOut } from "./auth/sign-out.js";
export { realSleep, type Sleep } from "./auth/sleep.js";
export * from "./contracts/index.js";
export { validateWithoutCodegen } from "./contracts/validation-mode.js";
export { AuthFile, CredentialSource, ServerCredential, tokenFingerprint } from "./credentials/auth-file.js";
export {
  CredentialStore,
  type CredentialStoreOptions,
  keychainAccount,
  type NewCredential,
  type StoredCredential,
  type TokenStoreKind,
} from "./credentials/credential-store.js";
export { AuthFileStore, defaultConfigDir } from "./credentials/file-store.js";
export { KEYCHAIN_SERVICE, type Keychain, loadKeytarKeychain } from "./credentials/keychain.js";
export { DEFAULT_API_URL, readSdkEnv, type SdkEnv } from "./env.js";
export {
  ClaudemeshError,
  ERROR_CODES,
  type ErrorCode,
  type ErrorDetail,
  ExitStatus,
  englishDetail,
  englishNotice,
  HINT_KEYS,
  type HintKey,
  isAuthError,
  type KeychainOperation,
  type Notice,
  SlowDownError,
} from "./errors.js";
export { brokerUrl } from "./mesh/broker-socket.js";
export {
  MeshConnection,
  type MeshConnectionOptions,
  type MeshEvent,
  type MeshHello,
  type MeshMessage,
  type MeshWelcome,
  type SentMessage,
} from "./mesh/mesh-connection.js";
export { nextReconnectDelay, type ReconnectOptions } from "./mesh/reconnect.js";
export {
  LocalConfig,
  LocalConfigStore,
  LocalMesh,
  TelemetrySettings,
} from "./meshes/local-config.js";
export { localMeshFrom, type MeshReconciliation, reconcileMeshes } from "./meshes/reconcile.js";
export {
  FLUSH_AFTER_EVENTS,
  FLUSH_AFTER_MS,
  MAX_QUEUED_EVENTS,
  TelemetryQueue,
} from "./telemetry/telemetry-queue.js";
export {
  isWellFormedToken,
  looksLikeToken,
  mintToken,
  type ParsedToken,
  parseToken,
  redactToken,
  redactTokens,
  refuseTokenAsId,
  TOKEN_SCAN_REGEX,
  type TokenKind,
} from "./token.js";
export { SDK_VERSION } from "./version.js";
