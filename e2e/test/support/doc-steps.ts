/**
 * Reads the runnable parts of a Markdown page, in order. The conventions the
 * docs follow, so that every command they show is run by e2e/test/docs.test.ts:
 *
 * - A ```sh block holds commands, one per line (`\` continues a line; `#` lines
 *   are comments). A ```text block whose previous fenced block is ```sh shows
 *   output of that block's last command.
 * - A ```console block is a terminal session: `$ command` lines, each followed
 *   by (some of) its output.
 * - In output, `<name>` (lowercase, dashes) stands for a value that changes from
 *   run to run; the test captures it, and puts it back wherever a later command
 *   says `<name>`.
 * - `<!-- docs-test: sign-up Ada Lovelace <ada@example.com> -->` marks where the
 *   reader creates an account in the browser; the test does it over HTTP.
 * - `<!-- docs-test: create-token ci-deploy > ci-token.txt -->` marks where the
 *   reader makes a personal access token on the dashboard and saves it to a file
 *   (in the session's working directory); the test does it over HTTP.
 *
 * Other fenced blocks (```text usage, ```mermaid, …) are not run.
 */
export type DocStep =
  | { kind: "command"; command: string; output: string[]; line: number }
  | { kind: "sign-up"; name: string; email: string; line: number }
  | { kind: "create-token"; name: string; file: string; line: number };

interface Fence {
  lang: string;
  body: string[];
  line: number;
}

const FENCE = /^(\s*)(`{3,})\s*([\w-]*)/;
const SIGN_UP = /<!--\s*docs-test:\s*sign-up\s+(.+?)\s+<([^>]+)>\s*-->/;
const CREATE_TOKEN = /<!--\s*docs-test:\s*create-token\s+(\S+)\s+>\s*(\S+)\s*-->/;

/** The commands, their shown output and the browser steps of a Markdown page, in page order. */
export function docSteps(markdown: string): DocStep[] {
  const lines = markdown.split("\n");
  const steps: DocStep[] = [];
  let previous: Fence | undefined;
  let lastShCommand: Extract<DocStep, { kind: "command" }> | undefined;

  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] ?? "";
    const signUp = SIGN_UP.exec(line);
    if (signUp) {
      steps.push({ kind: "sign-up", name: signUp[1] ?? "", email: signUp[2] ?? "", line: index + 1 });
      continue;
    }
    const createToken = CREATE_TOKEN.exec(line);
    if (createToken) {
      steps.push({ kind: "create-token", name: createToken[1] ?? "", file: createToken[2] ?? "", line: index + 1 });
      continue;
    }
    const open = FENCE.exec(line);
    if (!open) continue;
    const fence: Fence = { lang: open[3] ?? "", body: [], line: index + 1 };
    const ticks = open[2] ?? "```";
    for (index += 1; index < lines.length; index += 1) {
      const inner = lines[index] ?? "";
      if (inner.trim().startsWith(ticks) && inner.trim().replaceAll("`", "") === "") break;
      fence.body.push(inner);
    }

    if (fence.lang === "sh") {
      lastShCommand = undefined;
      for (const command of joinContinuations(fence.body)) {
        lastShCommand = { kind: "command", command, output: [], line: fence.line };
        steps.push(lastShCommand);
      }
    } else if (fence.lang === "text" && previous?.lang === "sh" && lastShCommand) {
      lastShCommand.output.push(...fence.body);
    } else if (fence.lang === "console") {
      let current: Extract<DocStep, { kind: "command" }> | undefined;
      for (const text of fence.body) {
        if (text.startsWith("$ ")) {
          current = { kind: "command", command: text.slice(2), output: [], line: fence.line };
          steps.push(current);
        } else current?.output.push(text);
      }
    }
    previous = fence;
  }
  return steps;
}

function joinContinuations(body: string[]): string[] {
  const commands: string[] = [];
  let pending = "";
  for (const raw of body) {
    const text = raw.trim();
    if (!pending && (text === "" || text.startsWith("#"))) continue;
    if (text.endsWith("\\")) {
      pending += `${text.slice(0, -1)} `;
      continue;
    }
    commands.push(pending + text);
    pending = "";
  }
  if (pending) commands.push(pending.trim());
  return commands;
}

const PLACEHOLDER = /<([a-z][a-z0-9-]*)>/g;

/** The placeholders a text uses, e.g. `invite-code` for `…/invite/<invite-code>`. */
export function placeholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((match) => match[1] ?? "");
}

/**
 * A documented output line as a pattern for one real line: placeholders
 * capture what stands there, runs of spaces match any run of spaces.
 */
export function outputLinePattern(line: string): { pattern: RegExp; names: string[] } {
  const names: string[] = [];
  let source = "";
  let last = 0;
  const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\s+/g, "\\s+");
  for (const match of line.trim().matchAll(PLACEHOLDER)) {
    source += literal(line.trim().slice(last, match.index));
    source += "(\\S+?)";
    names.push(match[1] ?? "");
    last = (match.index ?? 0) + match[0].length;
  }
  source += literal(line.trim().slice(last));
  return { pattern: new RegExp(`^${source}$`), names };
}
