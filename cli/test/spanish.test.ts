import { chmod, readdir } from "node:fs/promises";
import { join } from "node:path";
import { mintToken } from "@claudemesh/sdk";
import { useCliHarness } from "@claudemesh/test-support/cli-harness";
import { runCli } from "@claudemesh/test-support/run-cli";
import { describe, expect, it } from "vitest";
import { englishLeft } from "../src/testing/english-left.js";
import { inTerminal, KEYS } from "./support/terminal.js";

const cli = useCliHarness();
const SPANISH = { LANG: "es_ES.UTF-8" };

describe("claudemesh in Spanish, from the locale", () => {
  it("LANG=es_ES.UTF-8 claudemesh runs the wizard in Spanish, from sign-in to the launch question", async () => {
    const account = await cli.server.signUp("Elena Española");
    const terminal = inTerminal([], { TERM: "xterm-256color", ...cli.env, ...SPANISH });

    await terminal.waitFor(/Te damos la bienvenida a claudemesh\. ¿Cómo quieres empezar\?/);
    expect(terminal.screen()).toContain("Pegar un token de acceso");
    expect(terminal.screen()).toContain("Crear una cuenta");
    terminal.type(KEYS.enter); // Iniciar sesión
    await terminal.waitFor(/Escribe este código:/);
    const [code = ""] = await terminal.waitFor(/[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}/);
    expect((await cli.server.decide(code, "approve", account.cookie)).status).toBe(200);

    let mark = terminal.screen().length;
    await terminal.waitFor(/Aún no estás en ninguna malla/, mark);
    expect(terminal.screen()).toContain("Autenticado como Elena Española");
    expect(terminal.screen()).toMatch(/Cuenta +✔ Elena Española/);
    terminal.type(KEYS.enter); // Crear una malla
    await terminal.waitFor(/Ponle nombre a la malla/, mark);
    terminal.type(`Malla de prueba${KEYS.enter}`);
    mark = terminal.screen().length;
    await terminal.waitFor(/Tu nombre en la malla/, mark);
    terminal.type(`elena-portatil${KEYS.enter}`);
    mark = terminal.screen().length;
    await terminal.waitFor(/Tu rol allí/, mark);
    terminal.type(`revisora${KEYS.enter}`);
    mark = terminal.screen().length;
    await terminal.waitFor(/¿Abrir Claude Code en malla-de-prueba como elena-portatil \(revisora\)\?/, mark);
    terminal.type(`${KEYS.down}${KEYS.enter}`); // No
    expect(await terminal.exited).toBe(0);
    expect(terminal.screen()).toContain("No se abrió. Ejecuta `claudemesh` de nuevo cuando quieras.");
    expect(terminal.screen()).not.toMatch(/How do you want|Launch Claude Code|Not launched/);
    // Nothing else in English either: not clack's key hints, not a role, not a notice.
    const names = ["Elena Española", account.email, "Malla de prueba", "malla-de-prueba", "elena-portatil", "revisora"];
    expect(englishLeft(terminal.screen(), "", { names })).toEqual([]);
  });

  it("a login kept in auth.json, readable by others, then a server that cannot be reached: every word Spanish", async () => {
    const { stderr } = await cli.deviceLogin("Pablo Permisos");
    expect(stderr).toContain("Authenticated as Pablo Permisos");
    const authFile = join(cli.configDir, "auth.json");
    await chmod(authFile, 0o644);
    const narrowed = await runCli(["whoami"], { ...cli.env, ...SPANISH });
    expect(narrowed.code).toBe(0);
    expect(narrowed.stderr).toContain(`Otros podían leer ${authFile} (644); se cambió a 600.`);
    // A token given for a server nothing listens on (port 39 needs root to listen).
    const unreachable = await runCli(["whoami", "--token", mintToken("pat")], {
      ...cli.env,
      ...SPANISH,
      CLAUDEMESH_API_URL: "http://127.0.0.1:39",
    });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain("No se puede conectar con http://127.0.0.1:39 (ECONNREFUSED).");
    const outputs = [narrowed, unreachable].map((result) => `${result.stdout}${result.stderr}`).join("\n");
    expect(englishLeft(outputs, "", { names: ["Pablo Permisos", "vm"] }), outputs).toEqual([]);
  });

  it("Ctrl-C in the Spanish wizard still exits 130 and writes nothing", async () => {
    const terminal = inTerminal([], { TERM: "xterm-256color", ...cli.env, LC_ALL: "es_MX.UTF-8" });
    await terminal.waitFor(/¿Cómo quieres empezar\?/);
    terminal.type(KEYS.ctrlC);
    expect(await terminal.exited).toBe(130);
    expect(await readdir(cli.configDir)).not.toContain("auth.json");
  });

  it("whoami, not signed in, says so in Spanish and exits 2", async () => {
    const result = await runCli(["whoami"], { ...cli.env, ...SPANISH });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`No has iniciado sesión en ${cli.server.url}.`);
    expect(result.stderr).toContain("Ejecuta `claudemesh login` para iniciar sesión.");
    expect(result.stderr).not.toContain("Not signed in");
  });

  it("a token the server refuses is refused in Spanish, with the server's code behind it", async () => {
    const { stderr } = await cli.deviceLogin("Rosa Revocada");
    expect(stderr).toContain("Authenticated as Rosa Revocada"); // the login ran in English
    expect((await runCli(["sessions", "revoke", "current"], cli.env)).code).toBe(0);
    const result = await runCli(["whoami"], { ...cli.env, ...SPANISH });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("La autenticación falló (token revocado).");
    expect(result.stderr).toContain("Ejecuta `claudemesh login` para volver a autenticarte.");
  });

  it("an unknown command is refused in Spanish, with a suggestion", async () => {
    const result = await runCli(["logni"], { ...cli.env, ...SPANISH });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("comando desconocido 'logni'. ¿Quisiste decir 'login'?");
    expect(result.stderr).toContain("Ejecuta `claudemesh --help` para ver todos los comandos.");
  });

  it("commander's own help and errors speak Spanish too", async () => {
    const help = await runCli(["invite", "--help"], { ...cli.env, ...SPANISH });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Uso: claudemesh invite \[opciones\]\n/);
    expect(help.stdout).toContain("Opciones:");
    expect(help.stdout).toMatch(/\(valores: "member", "admin", por\s+defecto: "member"\)/);
    const missing = await runCli(["create"], { ...cli.env, ...SPANISH });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("error: falta el argumento obligatorio 'name'");
  });

  it.each([
    ["--lang en before the command", ["--lang", "en", "whoami"], SPANISH],
    ["--lang=en after the command", ["whoami", "--lang=en"], SPANISH],
    ["LC_ALL=C over LANG", ["whoami"], { LANG: "es_ES.UTF-8", LC_ALL: "C" }],
    ["LC_MESSAGES over LANG", ["whoami"], { LANG: "es_ES.UTF-8", LC_MESSAGES: "en_GB.UTF-8" }],
    ["CLAUDEMESH_LANG over the locale", ["whoami"], { LANG: "es_ES.UTF-8", CLAUDEMESH_LANG: "en" }],
  ])("English with %s", async (_, args, env) => {
    const result = await runCli(args, { ...cli.env, ...env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`Not signed in to ${cli.server.url}.`);
    expect(result.stderr).toContain("Run `claudemesh login` to sign in.");
  });

  it.each([
    ["CLAUDEMESH_LANG=es", ["whoami"], { LC_ALL: "C", CLAUDEMESH_LANG: "es" }],
    ["--lang es", ["whoami", "--lang", "es"], { LANG: "en_US.UTF-8" }],
  ])("Spanish with %s, whatever the locale", async (_, args, env) => {
    const result = await runCli(args, { ...cli.env, ...env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`No has iniciado sesión en ${cli.server.url}.`);
  });

  it("signed in, whoami and tokens speak Spanish, with dates as Spanish writes them, and print URLs as they are", async () => {
    await cli.deviceLogin("Lola López");
    const whoami = await runCli(["whoami", "--sessions"], { ...cli.env, ...SPANISH });
    expect(whoami.code).toBe(0);
    const spanishDate = new Intl.DateTimeFormat("es-ES", { dateStyle: "medium", timeZone: "UTC" });
    expect(whoami.stdout).toMatch(/^ {2}Credencial: sesión de la CLI en \S+ \(del llavero del sistema\)$/m);
    const json = await runCli(["whoami", "--json"], { ...cli.env, ...SPANISH });
    const { credential } = JSON.parse(json.stdout) as { credential: { expires_at: string } };
    expect(whoami.stdout).toContain(`  Caduca:     ${spanishDate.format(new Date(credential.expires_at))}\n`);
    expect(spanishDate.format(new Date(credential.expires_at))).toMatch(/^\d{1,2} [a-z]+\.? \d{4}$/);
    expect(whoami.stdout).toContain("Sesiones de la CLI:");
    expect(whoami.stdout).toMatch(/último uso el|sin usar/);

    const created = await runCli(["tokens", "create", "--name", "ci-despliegue"], { ...cli.env, ...SPANISH });
    expect(created.code).toBe(0);
    expect(created.stdout).toBe(
      `${new URL("/dashboard/settings/cli-tokens?name=ci-despliegue", cli.server.url).href}\n`,
    );
    expect(created.stderr).toContain("Los tokens de acceso personal se crean en tu navegador");
  });

  it("login --no-wait and --continue speak Spanish, for people; their JSON stays as it is", async () => {
    const started = await runCli(["login", "--no-wait"], { ...cli.env, ...SPANISH });
    expect(started.code).toBe(0);
    expect(started.stdout).toMatch(
      /^Para iniciar sesión, abre esta URL en un navegador y aprueba el código:\n {2}\S+\nCódigo: [A-Z]{4}-[A-Z]{4} \(válido durante 10 minutos\)\n$/,
    );
    const checked = await runCli(["login", "--continue", "--no-wait", "--json"], { ...cli.env, ...SPANISH });
    expect(checked.code).toBe(75);
    expect(JSON.parse(checked.stdout)).toMatchObject({ status: "pending" });
    expect(checked.stderr).toContain("Aún se espera la aprobación de ");
  });

  it("--json stays the same machine-read shape in Spanish", async () => {
    const result = await runCli(["auth", "status", "--json"], { ...cli.env, ...SPANISH });
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({
      signed_in: false,
      api_url: cli.server.url,
      reason: "auth_required",
      other_servers: [],
    });
  });
});
