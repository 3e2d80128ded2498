import { asSentence, type KeychainOperation } from "@claudemesh/sdk/errors";
import type { Messages } from "./en.js";
import { clause } from "./punctuation.js";

/** A keychain call, as the object of "rechazó" / "no respondió a". */
const OPERATION: Record<KeychainOperation, string> = {
  read: "una lectura",
  write: "una escritura",
  delete: "un borrado",
};

const plural = (count: number, one: string, many: string) => (count === 1 ? one : many);
// Built on first use: loading the es-ES locale data costs ~10 ms, which an English run never needs.
let spanishDate: Intl.DateTimeFormat | undefined;
const formatSpanishDate = (iso: string) => {
  spanishDate ??= new Intl.DateTimeFormat("es-ES", { dateStyle: "medium", timeZone: "UTC" });
  return spanishDate.format(new Date(iso));
};

/** Everything the CLI says to people, in Spanish (tú, as the server's pages). Same keys as en.ts. */

/** "de" before a place, contracted as Spanish writes it: "del llavero", "de /ruta/auth.json". */
const de = (place: string) => (place.startsWith("el ") ? `del ${place.slice(3)}` : `de ${place}`);

export const es: Messages = {
  locale: "es",
  date: formatSpanishDate,
  yes: ["s", "si", "sí", "y", "yes"],
  yesNo: "[S/n]",
  selectKeys: "↑/↓ para moverte · Intro para elegir",

  program: {
    description: "Inicia sesión en claudemesh, gestiona tus mallas y abre Claude Code en una de ellas.",
    version: "muestra la versión",
    help: "muestra la ayuda",
    helpCommand: "muestra la ayuda de un comando",
    lang: "idioma de los mensajes: en o es (por defecto: según LANG)",
    token: "usa este token para este comando en lugar del inicio de sesión guardado",
    helpAfterError: "(ejecuta `claudemesh --help` para ver cómo se usa)",
    unknownCommand: (typed, meant) => `comando desconocido '${typed}'.${meant ? ` ¿Quisiste decir '${meant}'?` : ""}`,
    seeEveryCommand: "Ejecuta `claudemesh --help` para ver todos los comandos.",
    signInNow: "¿Iniciar sesión ahora?",
    signInAgain: "¿Iniciar sesión de nuevo ahora?",
  },

  commander: {
    titles: {
      "Usage:": "Uso:",
      "Options:": "Opciones:",
      "Commands:": "Comandos:",
      "Arguments:": "Argumentos:",
      "Global Options:": "Opciones globales:",
    },
    default: "por defecto",
    choices: "valores",
    usage: { "[options]": "[opciones]", "[command]": "[comando]" },
    unknownOption: (flag) => `error: opción desconocida '${flag}'`,
    missingArgument: (name) => `error: falta el argumento obligatorio '${name}'`,
    optionMissingArgument: (flags) => `error: a la opción '${flags}' le falta su valor`,
    missingMandatoryOption: (flags) => `error: falta la opción obligatoria '${flags}'`,
    invalidChoice: (flags, value, choices) =>
      `error: el valor '${value}' de la opción '${flags}' no es válido. Valores posibles: ${choices}.`,
    excessArguments: (command, expected, received) =>
      `error: demasiados argumentos para '${command}'. Se esperaba${plural(expected, "", "n")} ${expected} ${plural(expected, "argumento", "argumentos")} y se recibieron ${received}.`,
    didYouMean: (flag) => `(¿Quisiste decir ${flag}?)`,
  },

  // The server's and the SDK's words for each code; where theirs carry a detail (a name, an address), it follows.
  errors: {
    auth_required: (_, apiUrl) => (apiUrl ? `No has iniciado sesión en ${apiUrl}.` : "No has iniciado sesión."),
    token_invalid: () => "La autenticación falló (token no válido).",
    token_expired: () => "La autenticación falló (token caducado).",
    token_revoked: () => "La autenticación falló (token revocado).",
    token_rejected: () => "La autenticación falló (token rechazado).",
    auth_file_corrupted: (detail) => `El archivo de credenciales está dañado: ${detail}`,
    // Whole in Spanish: the SDK's detail only names the server, which the reader knows.
    credential_mismatch: () =>
      "El token que guarda el llavero del sistema para este inicio de sesión no es el suyo o no se puede comprobar (lo reemplazó otro inicio de sesión, lo guardó una versión anterior de claudemesh o alguien lo puso ahí); no se usa.",
    device_code_expired: () => "El inicio de sesión caducó.",
    access_denied: () => "Se denegó el acceso en el navegador.",
    already_claimed: () => "Otro proceso ya recibió el token de este inicio de sesión.",
    slow_down: () => "Demasiadas consultas seguidas; espera un poco.",
    device_flow_disabled: () => "Este servidor tiene desactivado el inicio de sesión con código de dispositivo.",
    approval_network_refused: () => "Este servidor solo acepta aprobaciones desde las redes que ha configurado.",
    invalid_input: (detail) => `Datos no válidos: ${detail}`,
    invalid_json: (detail) => `El servidor no pudo leer la solicitud: ${detail}`,
    invalid_token_format: () => "Formato de token no válido (se espera cm_pat_… o cm_session_…).",
    unsupported_media_type: (detail) => `El servidor no acepta ese tipo de contenido: ${detail}`,
    payload_too_large: () => "La solicitud es demasiado grande.",
    forbidden: (detail) => `No tienes permiso para hacer esto: ${detail}`,
    not_found: (detail) => `No se encontró: ${detail}`,
    gone: (detail) => `Ya no existe: ${detail}`,
    conflict: (detail) => `Conflicto: ${detail}`,
    rate_limited: () => "Demasiados intentos.",
    scopes_unsupported: () => "Los tokens aún no admiten permisos limitados (scopes).",
    web_session_required: () => "Los tokens de acceso personal se crean en el navegador, no con un token.",
    slug_taken: () => "Ese nombre corto ya está en uso.",
    invite_expired: () => "Esta invitación ha caducado.",
    invite_used: () => "Esta invitación ya se usó.",
    invite_revoked: () => "Los administradores de la malla retiraron esta invitación.",
    email_unverified: () => "Esta invitación es para una dirección de correo que tu cuenta aún no ha confirmado.",
    step_up_required: () =>
      "Confirma que eres tú en el navegador (contraseña, código o llave de acceso) y vuelve a intentarlo.",
    claude_not_found: () => "Claude Code no está instalado o no está en el PATH.",
    network: (detail) => `No se puede conectar con el servidor: ${detail}`,
    timeout: (detail) => `El servidor no respondió a tiempo: ${detail}`,
    tls: (detail) => `No se aceptó el certificado TLS del servidor: ${detail}`,
    bad_response: (detail) => `Respuesta inesperada del servidor: ${detail}`,
    server_error: (detail) => `Error del servidor: ${detail}`,
    database_unavailable: () => "La base de datos del servidor no responde.",
    keychain_unavailable: (detail) => `El llavero del sistema no está disponible: ${detail}`,
    cancelled: () => "Cancelado.",
  },

  details: {
    unreachable: ({ origin, reason }) => `No se puede conectar con ${origin} (${reason}).`,
    no_answer_in_time: ({ origin }) => `${origin} no respondió a tiempo.`,
    tls_rejected: ({ origin, reason }) => `No se aceptó el certificado TLS de ${origin} (${reason}).`,
    keychain_module_missing: () =>
      "El llavero del sistema no se puede usar aquí: su módulo, @github/keytar, no está instalado.",
    keychain_module_failed: ({ reason }) =>
      `El llavero del sistema no se puede usar aquí: su módulo no se cargó (${clause(reason)}).`,
    keychain_refused: ({ operation, reason }) => `El llavero del sistema rechazó ${OPERATION[operation]}: ${reason}`,
    no_secret_service: ({ operation }) =>
      `El llavero del sistema rechazó ${OPERATION[operation]}: no hay ningún Secret Service en marcha (el servicio del llavero no está iniciado).`,
    no_session_bus: ({ operation }) =>
      `El llavero del sistema rechazó ${OPERATION[operation]}: no hay ninguna sesión de D-Bus por la que llegar a él (como por SSH o en un contenedor).`,
    keychain_timed_out: ({ operation, ms }) =>
      `El llavero del sistema no respondió a ${OPERATION[operation]} en ${ms} ms.`,
    keychain_turned_off: () => "CLAUDEMESH_TOKEN_STORE=file: el llavero del sistema no se usa.",
    keychain_entry_unpaired: ({ server }) =>
      `La entrada del llavero del sistema del inicio de sesión en ${server} la guardó una versión anterior de claudemesh y no se puede distinguir de la de otra cuenta; no se usa.`,
    keychain_entry_missing: ({ server }) =>
      `El token del inicio de sesión en ${server} está en el llavero del sistema, que no lo devolvió (está bloqueado o se borró su entrada).`,
    keychain_entry_foreign: ({ server }) =>
      `La entrada del llavero del sistema del inicio de sesión en ${server} guarda otro token que el de ese inicio de sesión (lo reemplazó otro inicio de sesión, o alguien lo puso ahí); no se usa.`,
    auth_file_without_token: ({ path }) => `El archivo de credenciales está dañado (${path} no tiene token).`,
    file_not_json: ({ path }) => `${path} no es JSON válido; corrígelo o apártalo.`,
    // zod's words for the problem are English: the field is named, the problem said in Spanish.
    file_invalid: ({ path, field }) => `${path}: el valor de ${field} no es válido; corrígelo o apártalo.`,
    file_is_link: ({ path }) =>
      `${path} es un enlace simbólico; claudemesh no sigue enlaces para sus archivos privados. Bórralo y vuelve a intentarlo.`,
    file_not_regular: ({ path }) =>
      `${path} no es un archivo normal; claudemesh guarda sus archivos privados solo en archivos normales. Bórralo y vuelve a intentarlo.`,
    file_of_other_user: ({ path, uid }) =>
      `${path} es de otro usuario (uid ${uid}); claudemesh solo lee archivos privados tuyos. Bórralo y vuelve a intentarlo.`,
    file_unreadable: ({ path, reason }) => `No se puede leer ${path}: ${reason}`,
    folder_not_private: ({ path, mode }) =>
      `${path} debe ser privada (0700) pero tiene ${mode.toString(8)}; corrige su propietario o sus permisos.`,
    file_write_refused: ({ path, field }) => `No se escribe ${path}: el valor de ${field} no es válido.`,
    file_locked: ({ path, lockPath, pid }) =>
      `Otro proceso de claudemesh${pid ? ` (pid ${pid})` : ""} está cambiando ${path} y no terminó a tiempo; ` +
      `vuelve a intentarlo en un momento. Si no hay ningún claudemesh en marcha, borra ${lockPath}.`,
  },
  notices: {
    mode_narrowed: ({ path, mode, wanted }) =>
      `Otros podían leer ${path} (${mode.toString(8)}); se cambió a ${wanted.toString(8)}.`,
    mode_stuck: ({ path, mode, reason }) =>
      `Otros pueden leer ${path} (${mode.toString(8)}) y no se pudo cambiar: ${reason}`,
    unreadable_removed: ({ path }) => `${path} no se podía leer y se borró.`,
    keychain_fallback: ({ path }, why) => `${asSentence(why)} El token se guarda en ${path} (modo 0600) en su lugar.`,
    auth_file_replaced: (_, why) => `${asSentence(why)} Se reemplazó con este inicio de sesión.`,
  },
  roles: { owner: "propietario", admin: "administrador", member: "miembro" },
  input: {
    notAnEmail: "no es una dirección de correo",
    required: "es obligatorio",
    tooLong: (max) => `como mucho ${max} caracteres`,
    notASlug: "nombre corto: letras minúsculas, dígitos y guiones, de 1 a 48 caracteres",
    idShapedSlug: "no puede tener la forma de un id de malla (un UUID)",
    unsafeName: "no puede contener caracteres de control, saltos de línea ni marcas de dirección del texto",
    invisibleCharacter: (found) =>
      `no puede contener caracteres invisibles (tiene ${found}), que hacen que un nombre parezca vacío u otro`,
    noVisibleCharacter: "debe tener al menos un carácter visible",
    notValid: "no es válido",
  },

  hints: {
    signIn: "Ejecuta `claudemesh login` para iniciar sesión.",
    reauthenticate: "Ejecuta `claudemesh login` para volver a autenticarte.",
    replaceAuthFile: "Ejecuta `claudemesh login` para reemplazarlo.",
    signInAgain: "Ejecuta `claudemesh login` para volver a iniciar sesión.",
    retryLogin: "Ejecuta `claudemesh login` para reintentarlo.",
    tryLoginAgain: "Ejecuta `claudemesh login` para intentarlo de nuevo.",
    loginAlreadyClaimed:
      "Otro proceso ya recibió el token de este inicio de sesión. Ejecuta `claudemesh login` otra vez.",
    signInAnotherWay:
      "Inicia sesión con `claudemesh login --web` en un ordenador con navegador, o crea un token en la página de tokens de la CLI del servidor y ejecuta `claudemesh login --with-token`.",
    checkTokenCopied: "Los tokens son como cm_pat_… o cm_session_…; comprueba que lo copiaste entero.",
    waitAndRetry: "Espera un rato y vuelve a intentarlo.",
    leaveOutScopes: "Quita `scopes`: cada token tiene el acceso completo de su cuenta hasta que existan.",
    createTokenInBrowser:
      "Crea los tokens de acceso personal en tu navegador, en /dashboard/settings/cli-tokens de tu servidor (`claudemesh tokens create` lo abre).",
    chooseAnotherSlug: "Elige otro nombre corto con `--slug`.",
    askForNewInvite: "Pide una invitación nueva a quien te invitó.",
    inviteWorksOnce: "Las invitaciones sirven una sola vez; pide una nueva.",
    confirmEmailFirst: "Cuando la dirección esté confirmada, ejecuta `claudemesh join` otra vez.",
    installClaude: "Instala Claude Code (`npm install -g @anthropic-ai/claude-code`) o define CLAUDEMESH_CLAUDE_BIN.",
    checkConnection: "Comprueba tu conexión y CLAUDEMESH_API_URL, y vuelve a intentarlo.",
    retryTimeout: "El servidor tardó demasiado en responder; vuelve a intentarlo.",
    trustProxyCa: "¿Estás detrás de un proxy que inspecciona TLS? Apunta NODE_EXTRA_CA_CERTS a su certificado de CA.",
    checkServerUrl: "El servidor respondió con una forma inesperada; ¿es CLAUDEMESH_API_URL un servidor de claudemesh?",
    checkServerLog: "Vuelve a intentarlo; si sigue fallando, revisa el registro del servidor.",
    waitForDatabase:
      "El servidor no puede conectar con su base de datos ahora mismo; vuelve a intentarlo en un minuto.",
    unlockKeychain:
      "Desbloquea el llavero del sistema y vuelve a intentarlo, o ejecuta `claudemesh login` para volver a iniciar sesión (si el llavero sigue sin responder, el token se guarda en auth.json).",
  },
  cancelled: "Cancelado.",
  bye: "Hasta luego.",

  credentials: {
    notSignedIn: (apiUrl) => `No has iniciado sesión en ${apiUrl}.`,
    keychain: "el llavero del sistema",
    flagRefused: "Se rechazó el token pasado con --token; pasa uno que funcione.",
    envRefused:
      "Se rechazó el token de CLAUDEMESH_TOKEN; pon uno que funcione, o quítala para usar tu inicio de sesión guardado.",
    notValid: "no es válido",
  },

  browser: {
    ssh: "es una sesión SSH",
    noDisplay: "no hay pantalla",
    failed: (why) => `no se pudo abrir: ${clause(why)}`,
    malformed: (server) =>
      `el enlace de ${server} no está escrito como una dirección web; ábrelo tú solo si confías en él`,
    not_web: (server) => `el enlace de ${server} no es una página web; ábrelo tú solo si confías en él`,
    other_site: (server) => `el enlace lleva fuera de ${server}; ábrelo tú solo si confías en él`,
  },

  login: {
    description: "inicia sesión (por defecto, con un código en el navegador)",
    web: "inicia sesión con una redirección del navegador a este equipo en lugar de un código",
    token: "inicia sesión con un token de acceso personal (mejor --with-token)",
    withToken: "lee el token de la entrada estándar",
    noBrowser: "muestra la URL y el código, pero no abre el navegador",
    force: "vuelve a iniciar sesión aunque la credencial guardada aún funcione",
    alreadySignedIn: (apiUrl, name) => `Ya has iniciado sesión en ${apiUrl} como ${name}.`,
    forceHint: "Ejecuta `claudemesh login --force` para volver a iniciar sesión.",
    replacing: (name) => `Reemplazando la sesión existente de ${name}.`,
    savedDead: "La credencial guardada ya no funciona; iniciando sesión de nuevo.",
    authenticated: (name, via) => `Autenticado como ${name}${via}`,
    viaPat: (name) => ` (con el token personal "${name}")`,
    saved: (location) => `Token guardado en ${location}`,
    getStarted: (help) => `Ejecuta ${help} para empezar.`,
    syncFailed: (why) =>
      `Sesión iniciada, pero no se pudieron sincronizar tus mallas (${clause(why)}); ejecuta \`claudemesh sync\`.`,
    replacedNotRevoked: "No se pudo revocar en el servidor la sesión reemplazada; revócala con `claudemesh sessions`.",
    notOpening: (reason) => `No se abre el navegador (${reason}).`,
    openThisUrl: "Abre esta URL en este equipo:",
    opening: "Abriendo el navegador para autenticarte…",
    visit: "Visita:",
    visitIfNotOpened: "Si no se abrió el navegador, visita:",
    enterCode: "Escribe este código:",
    waiting: "Esperando la confirmación…",
    retrying: (why) => `Esperando la confirmación… (${why} Reintentando.)`,
    codeRetrying: (why) => `Pidiendo un código de inicio de sesión… (${why} Reintentando.)`,
    withTokenTip:
      "Consejo: `--with-token` lee el token de la entrada estándar, así no queda en el historial de la shell ni en `ps`.",
    noWait: "muestra la URL y el código y termina; `login --continue` lo completa (agentes, CI)",
    continue:
      "completa el inicio de sesión que empezó --no-wait (con --no-wait: lo comprueba una vez, sale con 75 si sigue pendiente)",
    json: "con --no-wait o --continue: imprime JSON (nunca el código de dispositivo ni el token)",
  },

  pending: {
    notWithOther: (flag, other) => `${flag} es para el código de dispositivo; no puede usarse con ${other}.`,
    jsonOnlyDeferred: "login solo admite --json con --no-wait o --continue.",
    openAndApprove: "Para iniciar sesión, abre esta URL en un navegador y aprueba el código:",
    code: (code, minutes) => `Código: ${code} (válido durante ${minutes} ${plural(minutes, "minuto", "minutos")})`,
    thenContinue:
      "Después ejecuta `claudemesh login --continue` para terminar (`--continue --no-wait` lo comprueba una vez).",
    noneWaiting: (apiUrl) => `No hay ningún inicio de sesión pendiente de continuar en ${apiUrl}.`,
    startFirst: "Ejecuta primero `claudemesh login --no-wait`.",
    denied: "Se denegó el acceso en el navegador.",
    deniedHint: "Ejecuta `claudemesh login --no-wait` para empezar de nuevo.",
    expired: "El inicio de sesión caducó antes de aprobarse y recogerse (un código dura 10 minutos).",
    expiredHint: "Ejecuta `claudemesh login --no-wait` otra vez para obtener un código nuevo.",
    claimed: "Otro proceso de claudemesh completó este inicio de sesión y recibió su token; aquí no se cambió nada.",
    claimedHint: "Ejecuta `claudemesh whoami` para ver quién tiene la sesión iniciada.",
    stillWaiting: (code, url) => `Aún se espera la aprobación de ${code} en ${url}`,
    checkAgain: (seconds, status) =>
      `Vuelve a comprobarlo dentro de ${seconds} s o más tarde (el código de salida ${status} significa «pendiente»).`,
    approveAt: (code, url) => `Aprueba ${code} en ${url} si aún no lo has hecho.`,
  },

  logout: {
    description: "cierra la sesión: revoca esta sesión y borra la credencial guardada",
    removingAnyway: (why) => `${why} Se borra de todos modos.`,
    revoked: "Token revocado en el servidor",
    notRevoked: (why) => `No se pudo revocar el token en el servidor (${clause(why)}); se borra aquí de todos modos.`,
    all: "cierra la sesión en todos los servidores de los que este equipo guarda un inicio de sesión",
    removed: (server, fromKeychain, path) =>
      `Borrado el inicio de sesión de ${server} ${fromKeychain ? "del llavero del sistema y de " : "de "}${path}`,
    nothing: "No has iniciado sesión; no hay nada que borrar.",
    nothingAnywhere: "No has iniciado sesión en ningún servidor; no hay nada que borrar.",
    patStillWorks:
      "El token de acceso personal sigue funcionando: revócalo con `claudemesh tokens revoke <id>` o en el panel.",
  },

  whoami: {
    description: "muestra con qué cuenta has iniciado sesión",
    sessions: "lista también cada dispositivo con sesión en tu cuenta",
    json: "imprime JSON (nunca incluye el token)",
    credential: (what, from) => `  Credencial: ${what} (${de(from)})`,
    expires: (when) => `  Caduca:     ${when}`,
    server: (url) => `  Servidor:   ${url}`,
    never: "nunca",
    noSessions: "No hay sesiones de la CLI.",
    sessionsTitle: "Sesiones de la CLI:",
    sessionId: (lastUsed, id) => `${lastUsed}, id ${id}`,
    pat: (name) => `token de acceso personal "${name}"`,
    session: (device) => `sesión de la CLI en ${device}`,
    browserSession: "sesión del navegador",
  },

  auth: {
    description: "inicia y cierra sesión y comprueba tus credenciales",
    status: "comprueba la credencial guardada con el servidor (sale con 0 si hay sesión, 2 si no)",
    token: "imprime el token en uso, para scripts",
    signedIn: (apiUrl, name, email) => `Sesión iniciada en ${apiUrl} como ${name} <${email}>`,
    withCredential: (what, from) => `  con ${what} ${de(from)}`,
    notSignedIn: (apiUrl, why) => `No has iniciado sesión en ${apiUrl}${why ? `: ${why}` : "."}`,
    otherServers: "También guardados en este equipo:",
    savedLogin: (apiUrl, name, email, where) => `  ${apiUrl}  ${name} <${email}> (token en ${where})`,
    useOther: "  Usa uno con CLAUDEMESH_API_URL=<servidor>; `claudemesh logout --all` cierra la sesión en todos.",
  },

  sessions: {
    description: "lista y revoca sesiones de la CLI",
    list: "lista los dispositivos con sesión en tu cuenta (* = este)",
    revoke: "cierra la sesión de un dispositivo (`current` para este)",
    id: "id de sesión de `claudemesh sessions list`",
    none: "No hay sesiones de la CLI.",
    revoked: (id) => `Sesión ${id} revocada`,
    line: (signedIn, lastUsed) => `(sesión iniciada el ${signedIn}, ${lastUsed})`,
    lastUsed: (date) => `último uso el ${date}`,
    neverUsed: "sin usar",
    from: (address) => `desde ${address}`,
    via: {
      "device-code": "con código de dispositivo",
      browser: "con inicio en el navegador",
      web: "creado en el panel",
    },
    madeIn: (browser) => `en ${browser}`,
  },

  tokens: {
    description: "crea, lista y revoca tokens de acceso personal",
    create: "abre la página del panel donde se crean los tokens (imprime su URL)",
    name: "para qué es, p. ej. ci-deploy",
    expiresIn: "30d, 90d, 1y o never",
    jsonUrl: "imprime la URL de la página como JSON",
    inBrowser:
      "Los tokens de acceso personal se crean en tu navegador, con sesión iniciada en el panel (nunca con un token), y se muestran allí una sola vez.",
    list: "lista tus tokens (nunca sus valores)",
    revoke: "revoca un token; lo que lo use deja de funcionar al momento",
    id: "id de token de `claudemesh tokens list`",
    badLifetime: (value) => `--expires-in debe ser como 30d, 90d, 1y o never (se recibió "${value}").`,
    tooLong: "--expires-in puede ser como máximo 10 años (o never).",
    expires: (date) => `caduca el ${date}`,
    neverExpires: "sin caducidad",
    none: "No hay tokens de acceso personal.",
    revoked: (id) => `Token ${id} revocado`,
  },

  json: "imprime JSON",

  create: {
    description: "crea una malla (serás su propietario) y únete a ella en este equipo",
    name: 'cómo llamarla, p. ej. "Equipo de plataforma"',
    slug: "su nombre corto en comandos y URL (por defecto: a partir del nombre)",
    json: "imprime la malla como JSON",
    tryInstead: "Prueba",
    created: (slug, id) => `Malla ${slug} creada (id: ${id}…)`,
    joined: "Unida en este equipo",
    invitePeers: "▸ Invita a otras personas:",
  },

  list: {
    description: "lista tus mallas (del servidor y de este equipo)",
    members: (count) => `, ${count} ${plural(count, "miembro", "miembros")}`,
    legend:
      "● unida aquí   + solo en el servidor   - ya no está en el servidor — `claudemesh sync` arregla ambas cosas",
  },

  sync: {
    description: "actualiza las mallas de este equipo desde el servidor (añade las nuevas, quita las que ya no están)",
    json: "imprime los cambios como JSON",
    synced: (count, slugs) =>
      `${plural(count, "Sincronizada", "Sincronizadas")} ${count} ${plural(count, "malla", "mallas")}: ${slugs}`,
    gone: "(ya no está en el servidor)",
    noMeshes: (create, join) => `Aún no tienes mallas. Crea una: ${create}, o únete a una: ${join}`,
    notJoined: (slug, apiUrl) =>
      `No te has unido a ninguna malla "${slug}" en ${apiUrl}. Ejecuta \`claudemesh sync\`, o \`claudemesh list\` para ver las tuyas.`,
  },

  invite: {
    description: "invita a alguien a una malla; imprime un enlace de un solo uso (y lo envía por correo con --email)",
    mesh: "la malla, por nombre corto o id (por defecto: la única que tengas; en una terminal, a elegir)",
    email: "envía también el enlace por correo; solo una cuenta que haya confirmado esa dirección puede aceptarlo",
    role: "con qué rol se unen",
    expiresIn: "cuánto tiempo funciona el enlace: 30m, 12h, 7d (como máximo 30d)",
    json: "imprime JSON (incluye el enlace)",
    badLifetime: (value) => `--expires-in debe ser como 30m, 12h o 7d, como máximo 30d (se recibió "${value}").`,
    noMesh: 'Aún no estás en ninguna malla. Crea una primero: claudemesh create "Equipo de plataforma".',
    notAdmin: "Solo los propietarios y administradores de una malla pueden invitar, y no lo eres en ninguna.",
    whichMesh: (slugs) => `¿Qué malla? Indícala con --mesh: ${slugs}.`,
    pickMesh: "¿A qué malla quieres invitar?",
    created: (slug, role, until) => `Invitación a ${slug} como ${role}, hasta el ${until}:`,
    emailed: (email) => `Enviada por correo a ${email}`,
    noMail: (email) => `El servidor no tiene correo configurado; envía tú el enlace a ${email}.`,
    mailFailed: (email) => `No se pudo enviar el correo a ${email}; envíale tú el enlace.`,
    once: "Funciona una sola vez. Puede abrirse en un navegador o con `claudemesh join <enlace>`.",
  },

  join: {
    description: "únete a una malla con un enlace de invitación",
    link: "el enlace que te enviaron (…/invite/…)",
    linkPlaceholder: "enlace-de-invitación",
    json: "imprime la malla como JSON",
    notALink: "Eso no es un enlace de invitación; tiene esta forma: https://…/invite/<código>.",
    already: (slug, role) => `Ya estás en ${slug} (${role}); también está unida aquí.`,
    joined: (slug, role) => `Te has unido a ${slug} como ${role}`,
    startIn: "▸ Abre Claude Code en ella:",
  },

  launch: {
    description: "abre Claude Code en una malla (con su salida y su código de salida)",
    mesh: "una malla a la que te has unido (sin ella, en una terminal: elígela paso a paso)",
    name: "tu nombre en la malla (se recuerda; por defecto: el nombre de este equipo)",
    role: "qué haces allí, p. ej. reviewer (se recuerda; por defecto: tu rol en la malla)",
    yes: "no pide confirmación",
    claudeArgs: "se pasan a claude (después de --)",
    nameTheMesh:
      "Indica la malla en la que abrirlo: `claudemesh launch --mesh <slug>` (consulta `claudemesh list`). En una terminal, `claudemesh launch` a secas te guía paso a paso.",
    confirm: (slug, name, role) => `¿Abrir Claude Code en ${slug} como ${name} (${role})?`,
    notLaunched: "No se abrió.",
    launching: (slug, name, role) => `▸ Abriendo Claude Code en ${slug} como ${name} (${role})`,
    notInstalled: (binary) => `Claude Code (\`${binary}\`) no está instalado o no está en el PATH.`,
    couldNotStart: (binary, why) => `No se pudo iniciar ${binary}: ${why}`,
    noTokenFlag:
      "`launch` no admite --token: cualquier usuario de este equipo podría leerlo en la lista de procesos mientras Claude Code funciona, y las herramientas de malla de Claude Code inician sesión con tu sesión guardada. Guarda el token con `claudemesh login --with-token` (lo lee de la entrada estándar) y vuelve a lanzar.",
    envTokenNotPassedOn:
      "CLAUDEMESH_TOKEN no se transmite: las herramientas de malla de Claude Code inician sesión con tu sesión guardada.",
    envTokenOnly: (apiUrl) =>
      `No has iniciado sesión en ${apiUrl}: CLAUDEMESH_TOKEN no se transmite a Claude Code, cuyas herramientas de malla inician sesión con tu sesión guardada. Guarda una con \`claudemesh login --with-token\` (o \`claudemesh login\`) y vuelve a lanzar.`,
    cannotForget: (names) =>
      `No se abrió: \`launch\` sigue en marcha junto a Claude Code y aquí no puede borrar ${names} de su propio entorno (hace falta Node 22.15 o posterior, o Linux). Quita ${names} y vuelve a lanzar.`,
  },

  mcp: {
    description: "sirve la malla a Claude Code por MCP en stdin/stdout (launch se lo pasa a Claude Code)",
    mesh: "la malla que se sirve (puede omitirse si te has unido a una sola)",
    noTokenFlag:
      "`mcp` no acepta --token: entra con tu sesión guardada, como el Claude Code de launch. Guarda una con `claudemesh login`.",
    envTokenIgnored: "CLAUDEMESH_TOKEN no se usa aquí: `claudemesh mcp` entra con tu sesión guardada.",
    noMesh: (apiUrl: string) =>
      `No te has unido a ninguna malla en ${apiUrl}: \`claudemesh join <enlace>\` o \`claudemesh create <nombre>\`.`,
    whichMesh: (slugs: string) => `Estás en varias mallas: elige una con --mesh (${slugs}).`,
  },

  peers: {
    description: "lista los miembros de una malla, quién está conectado y sus sesiones",
    mesh: "la malla, por nombre corto o id (por defecto: la única que tengas; en una terminal, a elegir)",
    noMesh:
      'Aún no estás en ninguna malla. Crea una con claudemesh create "Equipo de plataforma", o únete a una con un enlace de invitación.',
    whichMesh: (slugs) => `¿Qué malla? Indícala con --mesh: ${slugs}.`,
    pickMesh: "¿Qué malla?",
    online: "conectado",
    lastSeen: (date) => `visto por última vez el ${date}`,
    neverSeen: "nunca se ha conectado",
    noSuchPeer: (name, mesh) =>
      `Nadie en ${mesh} se llama ${name}. Ejecuta \`claudemesh peers --mesh ${mesh}\` para ver quién está.`,
    ambiguous: (name, candidates) =>
      `Hay más de un miembro que se llama ${name}; indica uno por su id de miembro: ${candidates}.`,
    pickPeer: (name) => `¿Qué ${name}?`,
  },

  send: {
    description: "envía un mensaje a un miembro de una malla, o a todos con @all",
    peer: "a quién: un nombre, un id de miembro o @all",
    message: "el mensaje; se lee de la entrada estándar si es - o falta y la entrada no es una terminal",
    json: "imprime JSON (el id del mensaje)",
    everyone: "todos",
    noMessage:
      "¿Qué dice el mensaje? Escríbelo después del nombre, o pásalo por la entrada: echo hola | claudemesh send <miembro> -",
    empty: "El mensaje está vacío.",
    sent: (to, mesh) => `Enviado a ${to} en ${mesh}`,
  },

  inbox: {
    description: "imprime los mensajes que te esperan en una malla, los marca como leídos y termina",
    json: 'imprime JSON ({"messages": [...]}, escrito según llegan)',
    empty: (mesh) => `No hay mensajes nuevos en ${mesh}.`,
    from: (name) => `De ${name}:`,
    fromToAll: (name) => `De ${name}, para todos:`,
    sentAt: (iso) => `el ${iso.slice(0, 10)} a las ${iso.slice(11, 16)} UTC`,
  },

  grants: {
    description: "muestra qué puede hacerte cada miembro de una malla (dm, broadcast)",
    grantDescription:
      "permite más a un miembro de una malla: dm (mensajes directos para ti), broadcast (llegarte con @all)",
    revokeDescription: "quita permisos a un miembro de una malla: dm, broadcast o all (que lo bloquea)",
    blockDescription: "bloquea a un miembro de una malla: sus mensajes para ti se descartan",
    unblockDescription: "desbloquea a un miembro de una malla: vuelve a poder hacerlo todo",
    peer: "el miembro: un nombre o un id de miembro",
    capabilities: "dm, broadcast (permisos)",
    capabilitiesOrAll: "dm, broadcast o all",
    badCapability: (value, choices) => `"${value}" no es un permiso; elige entre ${choices}.`,
    everything: (name) => `${name} puede enviarte mensajes directos y mensajes para todos`,
    only: (name, capabilities) => `${name} solo puede: ${capabilities}`,
    blocked: (name) => `${name} está bloqueado: nada suyo te llega`,
    alone: (mesh) => `Aún no hay nadie más en ${mesh}.`,
    legend: (all) => `Todos pueden hacerlo todo (${all}) hasta que digas lo contrario: claudemesh revoke, block.`,
  },

  telemetry: {
    description: "datos de uso anónimos: on, off o status",
    on: "envía datos de uso anónimos",
    off: "deja de enviar datos de uso",
    status: "muestra si se envían datos de uso, y por qué",
    is: (enabled) => `La telemetría está ${enabled ? "activada" : "desactivada"}.`,
    isBecause: (enabled, why) => `La telemetría está ${enabled ? "activada" : "desactivada"} (${why}).`,
    keptOff: "Aquí está definida DO_NOT_TRACK o CLAUDEMESH_TELEMETRY=0, que la mantiene desactivada igualmente.",
    byEnvironment: "está definida DO_NOT_TRACK o CLAUDEMESH_TELEMETRY",
    bySetting: "lo elegiste con `claudemesh telemetry on|off`",
    byDefault: "la opción por defecto; `claudemesh telemetry off` la desactiva",
    notice:
      "claudemesh recoge datos de uso anónimos (comandos, códigos de salida, duraciones; nunca tokens, correos ni nombres). Para desactivarlo: claudemesh telemetry off",
  },

  completion: {
    description: "imprime un script de autocompletado para la shell (bash, zsh o fish)",
    install: "Instalación:",
    unknownShell: (shell, shells) => `Shell desconocida "${shell}"; elige ${shells}.`,
  },

  wizard: {
    account: "Cuenta",
    mesh: "Malla",
    name: "Nombre",
    role: "Rol",
    fromFlag: (flag) => `(de ${flag})`,
    welcome: "Te damos la bienvenida a claudemesh. ¿Cómo quieres empezar?",
    signIn: "Iniciar sesión",
    signInHint: "con un código en tu navegador",
    pasteToken: "Pegar un token de acceso",
    joinByInvite: "Unirme a una malla con un enlace de invitación",
    signUp: "Crear una cuenta",
    signUpHint: "si eres nuevo en claudemesh",
    exit: "Salir",
    tokenPrompt: "Pega tu token de acceso",
    notAToken: "Eso no es un token de claudemesh (cm_pat_… o cm_session_…).",
    invitePrompt: "Pega el enlace de invitación",
    notAnInvite: "Eso no es un enlace de invitación (…/invite/…).",
    signInFirst: "Primero inicia sesión; la invitación se acepta justo después.",
    signInUnfinished: "El inicio de sesión no terminó.",
    joined: (slug, role) => `Te has unido a ${slug} como ${role}`,
    pickMesh: (count) => `Malla (elige una — ${count} ${plural(count, "disponible", "disponibles")})`,
    noMesh: "Aún no estás en ninguna malla",
    createMesh: "Crear una malla",
    joinWithLink: "Unirme con un enlace de invitación",
    nameTheMesh: "Ponle nombre a la malla",
    meshPlaceholder: "Equipo de plataforma",
    meshNeedsName: "Una malla necesita un nombre.",
    created: (slug) => `Malla ${slug} creada`,
    yourName: "Tu nombre en la malla",
    yourRole: "Tu rol allí",
    notLaunched: "No se abrió. Ejecuta `claudemesh` de nuevo cuando quieras.",
    handingOver: "Pasando el control a Claude Code…",
    yes: "Sí",
    no: "No",
  },
};
