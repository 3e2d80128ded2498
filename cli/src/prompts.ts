import { createInterface } from "node:readline/promises";
import { en, type Messages } from "./i18n/en.js";
import { LocalizedError } from "./i18n/language.js";
import type { IO } from "./io.js";

/** Says whether typed text will do: undefined when it does, else why not (shown under the field). */
export type Validate = (value: string) => string | undefined;

export interface SelectChoice<Value extends string> {
  value: Value;
  label: string;
  hint?: string;
}

/**
 * Every question a command or the wizard asks, in one place: the terminal
 * answers them in real runs, a script in tests. A question the person backs
 * out of (Esc, Ctrl-C) ends as `cancelled` (exit 130), so callers see answers only.
 */
export interface Prompts {
  text(question: {
    message: string;
    placeholder?: string;
    defaultValue?: string;
    validate?: Validate;
  }): Promise<string>;
  /** Typed text that is not echoed (a token). */
  secret(question: { message: string; validate?: Validate }): Promise<string>;
  confirm(question: { message: string }): Promise<boolean>;
  /** `initialValue`: the option the cursor starts on (Enter takes it). */
  select<Value extends string>(question: {
    message: string;
    options: SelectChoice<Value>[];
    initialValue?: Value;
  }): Promise<Value>;
  /** A one-line `[Y/n]` question on stderr; Enter means yes. */
  yesNo(message: string): Promise<boolean>;
}

/**
 * The real prompts: @clack/prompts (loaded when first asked) on the terminal, readline for `[Y/n]`;
 * their own words (yes, no, cancelled) from the catalogue in use when asked.
 */
export function terminalPrompts(io: IO, words: () => Messages = () => en): Prompts {
  const cancelled = () => new LocalizedError("cancelled", words().cancelled);
  const streams = { input: io.stdin, output: io.stdout };
  const answer = async <T>(asked: (clack: typeof import("@clack/prompts")) => Promise<T | symbol>): Promise<T> => {
    const clack = await import("@clack/prompts");
    const value = await asked(clack);
    if (clack.isCancel(value)) throw cancelled();
    return value as T;
  };
  return {
    text: (question) =>
      answer<string>((clack) =>
        clack.text({ ...streams, ...question, validate: question.validate && fromClack(question.validate) }),
      ),
    secret: (question) =>
      answer<string>((clack) =>
        clack.password({ ...streams, ...question, validate: question.validate && fromClack(question.validate) }),
      ),
    confirm: (question) =>
      answer<boolean>((clack) =>
        clack.confirm({ ...streams, active: words().wizard.yes, inactive: words().wizard.no, ...question }),
      ),
    select: <Value extends string>(question: {
      message: string;
      options: SelectChoice<Value>[];
      initialValue?: Value;
    }) =>
      answer<Value>((clack) =>
        clack.select<Value>({ ...streams, ...question } as Parameters<typeof clack.select<Value>>[0]),
      ),
    async yesNo(message) {
      const prompt = createInterface({ input: io.stdin, output: io.stderr });
      try {
        const typed = (await prompt.question(`${message} ${words().yesNo} `)).trim().toLowerCase();
        return typed === "" || words().yes.includes(typed);
      } finally {
        prompt.close();
      }
    },
  };
}

/** clack hands `undefined` for an empty field. */
const fromClack = (validate: Validate) => (value: string | undefined) => validate(value ?? "");
