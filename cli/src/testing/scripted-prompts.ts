import { ClaudemeshError } from "@claudemesh/sdk";
import type { Prompts, Validate } from "../prompts.js";

/** One answer, given to the next question of that kind; `cancel` backs out of it as Esc or Ctrl-C would. */
export type ScriptedAnswer =
  | { text: string }
  | { secret: string }
  | { confirm: boolean }
  | { select: string }
  | { yesNo: boolean }
  | { cancel: "text" | "secret" | "confirm" | "select" | "yesNo" };

type Kind = "text" | "secret" | "confirm" | "select" | "yesNo";

/**
 * Prompts that answer from a script, in order, and remember what was asked.
 * A question of another kind than the next answer, or one past the end of
 * the script, fails the command, so a test sees every question it did not expect.
 */
export class ScriptedPrompts implements Prompts {
  /** The messages asked, in order. */
  readonly asked: string[] = [];
  readonly #script: ScriptedAnswer[];

  constructor(script: ScriptedAnswer[] = []) {
    this.#script = [...script];
  }

  get unanswered(): readonly ScriptedAnswer[] {
    return this.#script;
  }

  #next(kind: Kind, message: string): string | boolean {
    this.asked.push(message);
    const answer = this.#script.shift();
    if (!answer) throw new Error(`Unscripted ${kind} prompt: "${message}"`);
    if ("cancel" in answer && answer.cancel === kind) throw new ClaudemeshError("cancelled", "Cancelled.");
    if (!(kind in answer)) throw new Error(`Scripted ${Object.keys(answer)[0]}, but asked ${kind}: "${message}"`);
    return (answer as Record<Kind, string | boolean>)[kind];
  }

  #typed(kind: "text" | "secret", message: string, validate?: Validate): string {
    const value = String(this.#next(kind, message));
    const refusal = validate?.(value);
    if (refusal) throw new Error(`Scripted ${kind} "${value}" refused by "${message}": ${refusal}`);
    return value;
  }

  async text(question: { message: string; defaultValue?: string; validate?: Validate }): Promise<string> {
    return this.#typed("text", question.message, question.validate) || (question.defaultValue ?? "");
  }

  async secret(question: { message: string; validate?: Validate }): Promise<string> {
    return this.#typed("secret", question.message, question.validate);
  }

  async confirm(question: { message: string }): Promise<boolean> {
    return Boolean(this.#next("confirm", question.message));
  }

  async select<Value extends string>(question: { message: string; options: { value: Value }[] }): Promise<Value> {
    const picked = String(this.#next("select", question.message));
    const option = question.options.find((candidate) => candidate.value === picked);
    if (!option) throw new Error(`Scripted select "${picked}" is not an option of "${question.message}"`);
    return option.value;
  }

  async yesNo(message: string): Promise<boolean> {
    return Boolean(this.#next("yesNo", message));
  }
}
