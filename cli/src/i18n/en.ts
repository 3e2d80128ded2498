import type { CredentialFlow } from "@claudemesh/sdk/contracts";
import {
  ERROR_CODES,
  type ErrorCode,
  type ErrorDetail,
  englishDetail,
  englishNotice,
  type HintKey,
  type Notice,
} from "@claudemesh/sdk/errors";
import { clause } from "./punctuation.js";

// The SDK and the server speak English: their own message for a code is the most precise one there is.
/** An SDK or server error's words: its own message, and the server the CLI talks to (which some name). */
type ErrorWords = (message: string, apiUrl: string) => string;
const asSent: ErrorWords = (message) => message;
const sdkWords = Object.fromEntries(Object.keys(ERROR_CODES).map((code) => [code, asSent])) as Record<
  ErrorCode,
  ErrorWords
>;
/** Words for each kind of SDK error detail (the SDK's own English words in English). */
export type DetailWords = { [K in ErrorDetail["kind"]]: (detail: Extract<ErrorDetail, { kind: K }>) => string };
const sdkDetailWords = Object.fromEntries(
  (
    [
      "unreachable",
      "no_answer_in_time",
      "tls_rejected",
      "keychain_module_missing",
      "keychain_module_failed",
      "keychain_refused",
      "no_secret_service",
      "no_session_bus",
      "keychain_timed_out",
      "keychain_turned_off",
      "keychain_entry_unpaired",
      "keychain_entry_missing",
      "keychain_entry_foreign",
      "auth_file_without_token",
      "file_not_json",
      "file_invalid",
      "file_is_link",
      "file_not_regular",
      "file_of_other_user",
      "file_unreadable",
      "folder_not_private",
      "file_write_refused",
      "file_locked",
    ] satisfies ErrorDetail["kind"][]
  ).map((kind) => [kind, englishDetail]),
) as DetailWords;

/**
 * Words for each notice; `why` is the notice's error (a keychain that refused,
 * an unreadable file) already in the catalogue's words.
 */
export type NoticeWords = {
  [K in Notice["kind"]]: (notice: Extract<Notice, { kind: K }>, why: string) => string;
};
const sdkNoticeWords: NoticeWords = {
  mode_narrowed: englishNotice,
  mode_stuck: englishNotice,
  unreadable_removed: englishNotice,
  keychain_fallback: englishNotice,
  auth_file_replaced: englishNotice,
};

const RELOGIN = "Run `claudemesh login` to re-authenticate.";

const plural = (count: number, one: string, many: string) => (count === 1 ? one : many);

/**
 * Everything the CLI says to people, in English: the source of truth. es.ts
 * has the type of this object, so a key missing there does not compile.
 * Machine-read output (`--json`, tokens, URLs) never comes from here.
 */
export const en = {
  /** BCP 47 tag for Intl (dates). */
  locale: "en",
  /** Dates stay ISO in English (unambiguous, and what scripts already read). */
  date: (iso: string) => new Date(iso).toISOString().slice(0, 10),
  yes: ["y", "yes"] as readonly string[],
  yesNo: "[Y/n]",
  /** How to move in a list and choose, under the question; empty keeps @clack/prompts' own English line. */
  selectKeys: "",

  program: {
    description: "Sign in to claudemesh, manage your meshes, and launch Claude Code in one.",
    version: "print the version",
    help: "show help",
    helpCommand: "show help for a command",
    lang: "language of messages: en or es (default: from LANG)",
    token: "use this token for this command instead of the saved login",
    helpAfterError: "(run `claudemesh --help` for usage)",
    unknownCommand: (typed: string, meant: string | undefined) =>
      `unknown command '${typed}'.${meant ? ` Did you mean '${meant}'?` : ""}`,
    seeEveryCommand: "Run `claudemesh --help` to see every command.",
    signInNow: "Sign in now?",
    signInAgain: "Sign in again now?",
  },

  /** commander's own words, as it prints them (help titles, its errors). */
  commander: {
    titles: {
      "Usage:": "Usage:",
      "Options:": "Options:",
      "Commands:": "Commands:",
      "Arguments:": "Arguments:",
      "Global Options:": "Global Options:",
    } as Record<string, string>,
    default: "default",
    choices: "choices",
    /** The placeholders in usage lines (`claudemesh tokens [options] [command]`). */
    usage: { "[options]": "[options]", "[command]": "[command]" } as Record<string, string>,
    unknownOption: (flag: string) => `error: unknown option '${flag}'`,
    missingArgument: (name: string) => `error: missing required argument '${name}'`,
    optionMissingArgument: (flags: string) => `error: option '${flags}' argument missing`,
    missingMandatoryOption: (flags: string) => `error: required option '${flags}' not specified`,
    invalidChoice: (flags: string, value: string, choices: string) =>
      `error: option '${flags}' argument '${value}' is invalid. Allowed choices are ${choices}.`,
    excessArguments: (command: string, expected: number, received: number) =>
      `error: too many arguments for '${command}'. Expected ${expected} ${plural(expected, "argument", "arguments")} but got ${received}.`,
    didYouMean: (flag: string) => `(Did you mean ${flag}?)`,
  },

  errors: sdkWords,
  /** The SDK's errors by their detail, where it gives one (it does for all it raises itself). */
  details: sdkDetailWords,
  notices: sdkNoticeWords,
  /** A mesh role as people read it (the value itself stays as it is in flags and JSON). */
  roles: { owner: "owner", admin: "admin", member: "member" } as Record<string, string>,
  /** What is wrong with a value given on the command line (the request's contract said no). */
  input: {
    notAnEmail: "not an email address",
    required: "is required",
    tooLong: (max: number) => `at most ${max} characters`,
    notASlug: "slug: lowercase letters, digits and dashes, 1–48 characters",
    idShapedSlug: "must not have the shape of a mesh id (a UUID)",
    unsafeName: "must not contain control characters, line breaks or bidirectional overrides",
    invisibleCharacter: (found: string) =>
      `must not contain invisible characters (found ${found}), which make a name look blank or like another`,
    noVisibleCharacter: "must contain at least one visible character",
    notValid: "not valid",
  },
  /** What to do next about an error, by the step the SDK names for its code. */
  hints: {
    signIn: "Run `claudemesh login` to sign in.",
    reauthenticate: RELOGIN,
    replaceAuthFile: "Run `claudemesh login` to replace it.",
    signInAgain: "Run `claudemesh login` to sign in again.",
    retryLogin: "Run `claudemesh login` to retry.",
    tryLoginAgain: "Run `claudemesh login` to try again.",
    loginAlreadyClaimed: "Another process already received this login's token. Run `claudemesh login` again.",
    signInAnotherWay:
      "Sign in with `claudemesh login --web` on a computer with a browser, or create a token on the server's CLI tokens page and run `claudemesh login --with-token`.",
    checkTokenCopied: "Tokens look like cm_pat_… or cm_session_…; check it was copied whole.",
    waitAndRetry: "Wait a while, then try again.",
    leaveOutScopes: "Leave out `scopes`: every token has its account's full access until scopes exist.",
    createTokenInBrowser:
      "Create personal access tokens in your browser, at /dashboard/settings/cli-tokens on your server (`claudemesh tokens create` opens it).",
    chooseAnotherSlug: "Choose another slug with `--slug`.",
    askForNewInvite: "Ask whoever invited you for a new invite.",
    inviteWorksOnce: "Invites work once; ask for a new one.",
    confirmEmailFirst: "Once the address is confirmed, run `claudemesh join` again.",
    installClaude: "Install Claude Code (`npm install -g @anthropic-ai/claude-code`) or set CLAUDEMESH_CLAUDE_BIN.",
    checkConnection: "Check your connection and CLAUDEMESH_API_URL, then try again.",
    retryTimeout: "The server took too long to answer; try again.",
    trustProxyCa: "Behind a TLS-inspecting proxy? Point NODE_EXTRA_CA_CERTS at its CA certificate.",
    checkServerUrl: "The server answered in an unexpected shape; is CLAUDEMESH_API_URL a claudemesh server?",
    checkServerLog: "Try again; if it keeps failing, check the server's log.",
    waitForDatabase: "The server cannot reach its database right now; try again in a minute.",
    unlockKeychain:
      "Unlock the OS keychain and try again, or run `claudemesh login` to sign in again (if the keychain still refuses, the token is kept in auth.json).",
  } satisfies Record<HintKey, string>,
  cancelled: "Cancelled.",
  bye: "Bye.",

  credentials: {
    notSignedIn: (apiUrl: string) => `Not signed in to ${apiUrl}.`,
    keychain: "the OS keychain",
    flagRefused: "The token given with --token was refused; pass a working one.",
    envRefused:
      "The token in CLAUDEMESH_TOKEN was refused; set it to a working one, or unset it to use your saved login.",
    notValid: "not valid",
  },

  browser: {
    ssh: "this is an SSH session",
    noDisplay: "there is no display",
    failed: (why: string) => `it could not be started: ${clause(why)}`,
    // A link the server sent that this client will not hand to the operating system (SECURITY.md).
    malformed: (server: string) =>
      `the link from ${server} is not written as a web address; open it yourself only if you trust it`,
    not_web: (server: string) => `the link from ${server} is not a web page; open it yourself only if you trust it`,
    other_site: (server: string) => `the link leads away from ${server}; open it yourself only if you trust it`,
  },

  login: {
    description: "sign in (device code in the browser by default)",
    web: "sign in through a browser callback on this machine instead of a code",
    token: "sign in with a personal access token (prefer --with-token)",
    withToken: "read the token from standard input",
    noBrowser: "print the URL and code, but do not open a browser",
    force: "sign in again even if the saved credential still works",
    alreadySignedIn: (apiUrl: string, name: string) => `Already signed in to ${apiUrl} as ${name}.`,
    forceHint: "Run `claudemesh login --force` to sign in again.",
    replacing: (name: string) => `Replacing existing session for ${name}.`,
    savedDead: "The saved credential no longer works; signing in again.",
    authenticated: (name: string, via: string) => `Authenticated as ${name}${via}`,
    viaPat: (name: string | null) => ` (via PAT "${name}")`,
    saved: (location: string) => `Token saved to ${location}`,
    getStarted: (help: string) => `Run ${help} to get started.`,
    syncFailed: (why: string) =>
      `Signed in, but your meshes could not be synced (${clause(why)}); run \`claudemesh sync\`.`,
    replacedNotRevoked:
      "The replaced session could not be revoked on the server; revoke it with `claudemesh sessions`.",
    notOpening: (reason: string) => `Not opening a browser (${reason}).`,
    openThisUrl: "Open this URL on this machine:",
    opening: "Opening browser for authentication…",
    visit: "Visit:",
    visitIfNotOpened: "If your browser didn't open, visit:",
    enterCode: "Enter this code:",
    waiting: "Waiting for confirmation…",
    retrying: (why: string) => `Waiting for confirmation… (${why} Retrying.)`,
    codeRetrying: (why: string) => `Asking for a sign-in code… (${why} Retrying.)`,
    withTokenTip: "Tip: `--with-token` reads the token from stdin, keeping it out of shell history and `ps`.",
    noWait: "print the URL and code and exit; `login --continue` finishes (agents, CI)",
    continue: "finish the login --no-wait started (with --no-wait: check once, exit 75 while pending)",
    json: "with --no-wait or --continue: print JSON (never the device code or the token)",
  },

  /** `login --no-wait` and `login --continue`. */
  pending: {
    notWithOther: (flag: string, other: string) => `${flag} is for the device code; it cannot go with ${other}.`,
    jsonOnlyDeferred: "login takes --json only with --no-wait or --continue.",
    openAndApprove: "To sign in, open this URL in a browser and approve the code:",
    code: (code: string, minutes: number) =>
      `Code: ${code} (valid for ${minutes} ${plural(minutes, "minute", "minutes")})`,
    thenContinue: "Then run `claudemesh login --continue` to finish (`--continue --no-wait` checks once).",
    noneWaiting: (apiUrl: string) => `No login is waiting to be continued for ${apiUrl}.`,
    startFirst: "Run `claudemesh login --no-wait` first.",
    denied: "Login denied in the browser.",
    deniedHint: "Run `claudemesh login --no-wait` to start again.",
    expired: "The login expired before it was approved and collected (a code lasts 10 minutes).",
    expiredHint: "Run `claudemesh login --no-wait` again for a new code.",
    claimed: "Another claudemesh process completed this login and received its token; nothing was changed here.",
    claimedHint: "Run `claudemesh whoami` to see who is signed in.",
    stillWaiting: (code: string, url: string) => `Still waiting for approval of ${code} at ${url}`,
    checkAgain: (seconds: number, status: number) =>
      `Check again in ${seconds}s or later (exit status ${status} means "pending").`,
    approveAt: (code: string, url: string) => `Approve ${code} at ${url} if you have not yet.`,
  },

  logout: {
    description: "sign out: revoke this session and remove the saved credential",
    removingAnyway: (why: string) => `${why} Removing it anyway.`,
    revoked: "Token revoked on server",
    notRevoked: (why: string) => `Could not revoke the token on the server (${clause(why)}); removing it here anyway.`,
    all: "sign out of every server this machine holds a login for",
    removed: (server: string, fromKeychain: boolean, path: string) =>
      `Removed the login for ${server} from ${fromKeychain ? "the OS keychain and " : ""}${path}`,
    nothing: "Not signed in; nothing to remove.",
    nothingAnywhere: "Not signed in to any server; nothing to remove.",
    patStillWorks:
      "The personal access token itself still works: revoke it with `claudemesh tokens revoke <id>` or in the dashboard.",
  },

  whoami: {
    description: "show who you are signed in as",
    sessions: "also list every device signed in to your account",
    json: "print JSON (never includes the token)",
    credential: (what: string, from: string) => `  Credential: ${what} (from ${from})`,
    expires: (when: string) => `  Expires:    ${when}`,
    server: (url: string) => `  Server:     ${url}`,
    never: "never",
    noSessions: "No CLI sessions.",
    sessionsTitle: "CLI sessions:",
    sessionId: (lastUsed: string, id: string) => `${lastUsed}, id ${id}`,
    pat: (name: string | null) => `personal access token "${name}"`,
    session: (device: string | null) => `CLI session on ${device}`,
    browserSession: "browser session",
  },

  auth: {
    description: "sign in, sign out and check your credentials",
    status: "check the saved credential with the server (exit 0 signed in, 2 not)",
    token: "print the token in use, for scripts",
    signedIn: (apiUrl: string, name: string, email: string) => `Signed in to ${apiUrl} as ${name} <${email}>`,
    withCredential: (what: string, from: string) => `  with a ${what} from ${from}`,
    notSignedIn: (apiUrl: string, why: string) => `Not signed in to ${apiUrl}${why ? `: ${why}` : "."}`,
    otherServers: "Also saved on this machine:",
    savedLogin: (apiUrl: string, name: string, email: string, where: string) =>
      `  ${apiUrl}  ${name} <${email}> (token in ${where})`,
    useOther: "  Use one with CLAUDEMESH_API_URL=<server>; `claudemesh logout --all` signs out of every one.",
  },

  sessions: {
    description: "list and revoke CLI sessions",
    list: "list the devices signed in to your account (* = this one)",
    revoke: "sign a device out (`current` for this one)",
    id: "session id from `claudemesh sessions list`",
    none: "No CLI sessions.",
    revoked: (id: string) => `Revoked session ${id}`,
    line: (signedIn: string, lastUsed: string) => `(signed in ${signedIn}, ${lastUsed})`,
    lastUsed: (date: string) => `last used ${date}`,
    neverUsed: "never used",
    from: (address: string) => `from ${address}`,
    /** How a credential was obtained, as the server recorded it. */
    via: {
      "device-code": "via device code",
      browser: "via browser sign-in",
      web: "made on the dashboard",
    } satisfies Record<CredentialFlow, string>,
    madeIn: (browser: string) => `in ${browser}`,
  },

  tokens: {
    description: "create, list and revoke personal access tokens",
    create: "open the dashboard page where tokens are created (prints its URL)",
    name: "what it is for, e.g. ci-deploy",
    expiresIn: "30d, 90d, 1y or never",
    jsonUrl: "print the page's URL as JSON",
    inBrowser:
      "Personal access tokens are created in your browser, signed in to the dashboard (never with a token), and shown there once.",
    list: "list your tokens (never their values)",
    revoke: "revoke a token; anything using it stops working at once",
    id: "token id from `claudemesh tokens list`",
    badLifetime: (value: string) => `--expires-in must be like 30d, 90d, 1y or never (got "${value}").`,
    tooLong: "--expires-in can be at most 10 years (or never).",
    expires: (date: string) => `expires ${date}`,
    neverExpires: "never expires",
    none: "No personal access tokens.",
    revoked: (id: string) => `Revoked token ${id}`,
  },

  json: "print JSON",

  create: {
    description: "create a mesh (you own it) and join it on this machine",
    name: 'what to call it, e.g. "Platform team"',
    slug: "its short name in commands and URLs (default: from the name)",
    json: "print the mesh as JSON",
    tryInstead: "Try",
    created: (slug: string, id: string) => `Created mesh ${slug} (id: ${id}…)`,
    joined: "Joined locally",
    invitePeers: "▸ Invite peers:",
  },

  list: {
    description: "list your meshes (server and this machine)",
    members: (count: number) => `, ${count} ${plural(count, "member", "members")}`,
    legend: "● joined here   + only on the server   - gone from the server — `claudemesh sync` fixes both",
  },

  sync: {
    description: "update this machine's meshes from the server (adds new ones, drops gone ones)",
    json: "print what changed as JSON",
    synced: (count: number, slugs: string) => `Synced ${count} ${plural(count, "mesh", "meshes")}: ${slugs}`,
    gone: "(no longer on the server)",
    noMeshes: (create: string, join: string) => `No meshes yet. Create one: ${create}, or join one: ${join}`,
    notJoined: (slug: string, apiUrl: string) =>
      `You have not joined a mesh "${slug}" on ${apiUrl}. Run \`claudemesh sync\`, or \`claudemesh list\` to see yours.`,
  },

  invite: {
    description: "invite someone to a mesh; prints a single-use link (and emails it with --email)",
    mesh: "the mesh, by slug or id (default: your only one; at a terminal, a pick)",
    email: "also email the link; only an account that has verified that address can accept it",
    role: "what they join as",
    expiresIn: "how long the link works: 30m, 12h, 7d (at most 30d)",
    json: "print JSON (includes the link)",
    badLifetime: (value: string) => `--expires-in must be like 30m, 12h or 7d, at most 30d (got "${value}").`,
    noMesh: 'You are in no mesh yet. Create one first: claudemesh create "Platform team".',
    notAdmin: "Only a mesh's owners and admins can invite, and you are neither in any of yours.",
    whichMesh: (slugs: string) => `Which mesh? Name it with --mesh: ${slugs}.`,
    pickMesh: "Invite to which mesh?",
    created: (slug: string, role: string, until: string) => `Invite to ${slug} as ${role}, until ${until}:`,
    emailed: (email: string) => `Emailed to ${email}`,
    noMail: (email: string) => `The server has no mail set up; send ${email} the link yourself.`,
    mailFailed: (email: string) => `Emailing ${email} failed; send them the link yourself.`,
    once: "It works once. They can open it in a browser or run `claudemesh join <link>`.",
  },

  join: {
    description: "join a mesh with an invite link",
    link: "the link you were sent (…/invite/…)",
    /** The link's placeholder in examples (`claudemesh join <invite-url>`). */
    linkPlaceholder: "invite-url",
    json: "print the mesh as JSON",
    notALink: "That is not an invite link; it looks like https://…/invite/<code>.",
    already: (slug: string, role: string) => `You are already in ${slug} (${role}); it is joined here too.`,
    joined: (slug: string, role: string) => `Joined ${slug} as ${role}`,
    startIn: "▸ Start Claude Code in it:",
  },

  launch: {
    description: "start Claude Code in a mesh (passes its output and exit code through)",
    mesh: "a mesh you have joined (without it, at a terminal: pick one step by step)",
    name: "your name in the mesh (remembered; default: this machine's name)",
    role: "what you do there, e.g. reviewer (remembered; default: your mesh role)",
    yes: "do not ask for confirmation",
    claudeArgs: "passed to claude (after --)",
    nameTheMesh:
      "Name the mesh to launch in: `claudemesh launch --mesh <slug>` (see `claudemesh list`). At a terminal, bare `claudemesh launch` walks you through it.",
    confirm: (slug: string, name: string, role: string) => `Launch Claude Code in ${slug} as ${name} (${role})?`,
    notLaunched: "Not launched.",
    launching: (slug: string, name: string, role: string) => `▸ Launching Claude Code in ${slug} as ${name} (${role})`,
    notInstalled: (binary: string) => `Claude Code (\`${binary}\`) is not installed or not on PATH.`,
    couldNotStart: (binary: string, why: string) => `Could not start ${binary}: ${why}`,
    noTokenFlag:
      "`launch` takes no --token: every user of this machine could read it in the process list while Claude Code runs, and Claude Code's mesh tools sign in with your saved login. Save the token with `claudemesh login --with-token` (it reads standard input), then launch.",
    envTokenNotPassedOn: "CLAUDEMESH_TOKEN is not passed on: Claude Code's mesh tools sign in with your saved login.",
    envTokenOnly: (apiUrl: string) =>
      `Not signed in to ${apiUrl}: CLAUDEMESH_TOKEN is not passed on to Claude Code, whose mesh tools sign in with your saved login. Save one with \`claudemesh login --with-token\` (or \`claudemesh login\`), then launch.`,
    cannotForget: (names: string) =>
      `Not launched: \`launch\` stays running beside Claude Code and cannot clear ${names} from its own environment here (that needs Node 22.15 or later, or Linux). Unset ${names} and launch again.`,
  },

  mcp: {
    description: "serve the mesh to Claude Code over MCP on stdin/stdout (launch hands it to Claude Code)",
    mesh: "the mesh to serve (may be left out when you have joined one)",
    noTokenFlag:
      "`mcp` takes no --token: it signs in with your saved login, as launch's Claude Code does. Save one with `claudemesh login`.",
    envTokenIgnored: "CLAUDEMESH_TOKEN is ignored here: `claudemesh mcp` signs in with your saved login.",
    noMesh: (apiUrl: string) =>
      `You have joined no mesh on ${apiUrl}: \`claudemesh join <link>\` or \`claudemesh create <name>\`.`,
    whichMesh: (slugs: string) => `You are in several meshes: name one with --mesh (${slugs}).`,
  },

  peers: {
    description: "list the members of a mesh, who is online, and their sessions",
    mesh: "the mesh, by slug or id (default: your only one; at a terminal, a pick)",
    noMesh:
      'You are in no mesh yet. Create one with claudemesh create "Platform team", or join one with an invite link.',
    whichMesh: (slugs: string) => `Which mesh? Name it with --mesh: ${slugs}.`,
    pickMesh: "Which mesh?",
    online: "online",
    lastSeen: (date: string) => `last seen ${date}`,
    neverSeen: "never connected",
    noSuchPeer: (name: string, mesh: string) =>
      `Nobody in ${mesh} is called ${name}. Run \`claudemesh peers --mesh ${mesh}\` to see who is.`,
    ambiguous: (name: string, candidates: string) =>
      `More than one member is called ${name}; name one by member id: ${candidates}.`,
    pickPeer: (name: string) => `Which ${name}?`,
  },

  send: {
    description: "send a message to a member of a mesh, or to everyone in it with @all",
    peer: "who: a name, a member id, or @all",
    message: "the message; read from stdin when it is - or left out and stdin is not a terminal",
    json: "print JSON (the message id)",
    everyone: "everyone",
    noMessage: "What should the message say? Give it after the name, or pipe it in: echo hi | claudemesh send <peer> -",
    empty: "The message is empty.",
    sent: (to: string, mesh: string) => `Sent to ${to} in ${mesh}`,
  },

  inbox: {
    description: "print the messages waiting for you in a mesh, mark them read, and exit",
    json: 'print JSON ({"messages": [...]}, written as they arrive)',
    empty: (mesh: string) => `No new messages in ${mesh}.`,
    from: (name: string) => `From ${name}:`,
    fromToAll: (name: string) => `From ${name}, to everyone:`,
    sentAt: (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`,
  },

  grants: {
    description: "show what each member of a mesh may do to you (dm, broadcast)",
    grantDescription: "let a member of a mesh do more: dm (direct messages to you), broadcast (reach you with @all)",
    revokeDescription: "take capabilities from a member of a mesh: dm, broadcast, or all (which blocks them)",
    blockDescription: "block a member of a mesh: their messages to you are dropped",
    unblockDescription: "unblock a member of a mesh: they may do everything again",
    peer: "the member: a name or a member id",
    capabilities: "dm, broadcast",
    capabilitiesOrAll: "dm, broadcast, or all",
    badCapability: (value: string, choices: string) => `"${value}" is no capability; choose from ${choices}.`,
    everything: (name: string) => `${name} may send you direct messages and messages to everyone`,
    only: (name: string, capabilities: string) => `${name} may only: ${capabilities}`,
    blocked: (name: string) => `${name} is blocked: nothing from them reaches you`,
    alone: (mesh: string) => `Nobody else is in ${mesh} yet.`,
    legend: (all: string) => `Everyone may do everything (${all}) until you say otherwise: claudemesh revoke, block.`,
  },

  telemetry: {
    description: "anonymous usage data: on, off, or status",
    on: "send anonymous usage data",
    off: "stop sending usage data",
    status: "show whether usage data is sent, and why",
    is: (enabled: boolean) => `Telemetry is ${enabled ? "on" : "off"}.`,
    isBecause: (enabled: boolean, why: string) => `Telemetry is ${enabled ? "on" : "off"} (${why}).`,
    keptOff: "DO_NOT_TRACK or CLAUDEMESH_TELEMETRY=0 is set here, which keeps it off anyway.",
    byEnvironment: "DO_NOT_TRACK or CLAUDEMESH_TELEMETRY is set",
    bySetting: "you chose it with `claudemesh telemetry on|off`",
    byDefault: "the default; `claudemesh telemetry off` turns it off",
    notice:
      "claudemesh collects anonymous usage data (commands, exit codes, durations; never tokens, emails or names). Turn it off: claudemesh telemetry off",
  },

  completion: {
    description: "print a shell completion script (bash, zsh or fish)",
    install: "Install:",
    unknownShell: (shell: string, shells: string) => `Unknown shell "${shell}"; choose ${shells}.`,
  },

  wizard: {
    account: "Account",
    mesh: "Mesh",
    name: "Name",
    role: "Role",
    fromFlag: (flag: string) => `(from ${flag})`,
    welcome: "Welcome to claudemesh. How do you want to start?",
    signIn: "Sign in",
    signInHint: "with a code in your browser",
    pasteToken: "Paste an access token",
    joinByInvite: "Join a mesh with an invite link",
    signUp: "Create an account",
    signUpHint: "new to claudemesh",
    exit: "Exit",
    tokenPrompt: "Paste your access token",
    notAToken: "That is not a claudemesh token (cm_pat_… or cm_session_…).",
    invitePrompt: "Paste the invite link",
    notAnInvite: "That is not an invite link (…/invite/…).",
    signInFirst: "Sign in first; the invite is accepted right after.",
    signInUnfinished: "Signing in did not finish.",
    joined: (slug: string, role: string) => `Joined ${slug} as ${role}`,
    pickMesh: (count: number) => `Mesh (pick one — ${count} available)`,
    noMesh: "You are in no mesh yet",
    createMesh: "Create a mesh",
    joinWithLink: "Join with an invite link",
    nameTheMesh: "Name the mesh",
    meshPlaceholder: "Platform team",
    meshNeedsName: "A mesh needs a name.",
    created: (slug: string) => `Created mesh ${slug}`,
    yourName: "Your name in the mesh",
    yourRole: "Your role there",
    notLaunched: "Not launched. Run `claudemesh` again any time.",
    handingOver: "Handing over to Claude Code…",
    yes: "Yes",
    no: "No",
  },
};

/** The shape every language's catalogue has. */
export type Messages = typeof en;
