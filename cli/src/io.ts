import type { Readable, Writable } from "node:stream";
import { redactTokens } from "@claudemesh/sdk/token";

/** The streams a command talks through; tests pass buffers. */
export interface IO {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  /** stdout is a terminal (interactive output, spinners). */
  isTTY: boolean;
  /** stdin is a terminal (prompts are possible). */
  stdinIsTTY: boolean;
  /** Colour allowed: a terminal, and NO_COLOR unset. */
  color: boolean;
}

/**
 * A reader that stops early (`claudemesh whoami | head -1`) closes the pipe; the
 * rest of the output has nowhere to go, which is no failure of the command, so it
 * finishes as it would have (nothing it saves is cut short) instead of dying on EPIPE.
 */
function ignoreClosedPipe(error: NodeJS.ErrnoException): void {
  if (error.code !== "EPIPE" && error.code !== "ERR_STREAM_DESTROYED") throw error;
}

export function systemIO(env: NodeJS.ProcessEnv = process.env): IO {
  if (!process.stdout.listeners("error").includes(ignoreClosedPipe)) process.stdout.on("error", ignoreClosedPipe);
  const isTTY = Boolean(process.stdout.isTTY);
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    isTTY,
    stdinIsTTY: Boolean(process.stdin.isTTY),
    color: isTTY && !env.NO_COLOR && env.TERM !== "dumb",
  };
}

const paint = (code: string) => (on: boolean, text: string) => (on ? `\x1b[${code}m${text}\x1b[0m` : text);
const green = paint("32");
const red = paint("31");
const yellow = paint("33");
const bold = paint("1");
const dim = paint("2");

/** How commands speak: marks, colour only where allowed, a spinner only on a terminal. */
export class Output {
  readonly io: IO;
  constructor(io: IO) {
    this.io = io;
  }
  /** Data for stdout (what scripts read). */
  print(text = ""): void {
    this.io.stdout.write(`${text}\n`);
  }
  /** Progress and outcomes for people, on stderr. */
  say(text = ""): void {
    this.io.stderr.write(`${text}\n`);
  }
  success(text: string): void {
    this.say(`${green(this.io.color, "✔")} ${text}`);
  }
  // Warnings and failures may quote what the user typed or the server said, which can hold a token.
  warn(text: string): void {
    this.say(`${yellow(this.io.color, "!")} ${redactTokens(text)}`);
  }
  failure(text: string, hint?: string): void {
    this.say(`${red(this.io.color, "✘")} ${redactTokens(text)}`);
    if (hint) this.say(`\n${hint}`);
  }
  bold(text: string): string {
    return bold(this.io.color, text);
  }
  dim(text: string): string {
    return dim(this.io.color, text);
  }

  /** A spinner on a terminal; elsewhere the text once, so logs stay clean. */
  spinner(text: string): { update(text: string): void; stop(): void } {
    if (!this.io.isTTY) {
      this.say(text);
      return { update: () => {}, stop: () => {} };
    }
    const frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
    let current = text;
    let frame = 0;
    const draw = () => this.io.stderr.write(`\r\x1b[2K${current} ${frames[frame++ % frames.length]}`);
    draw();
    const timer = setInterval(draw, 80);
    return {
      update: (next) => {
        current = next;
      },
      stop: () => {
        clearInterval(timer);
        this.io.stderr.write("\r\x1b[2K");
      },
    };
  }
}
