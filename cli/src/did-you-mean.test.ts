import { describe, expect, it } from "vitest";
import { closestName } from "./did-you-mean.js";

const COMMANDS = [
  "login",
  "logout",
  "whoami",
  "auth",
  "sessions",
  "tokens",
  "create",
  "list",
  "sync",
  "invite",
  "join",
  "launch",
];

describe("did you mean", () => {
  it.each([
    ["logni", "login"],
    ["lgoin", "login"],
    ["whoamy", "whoami"],
    ["sesions", "sessions"],
    ["LOGOUT", "logout"],
    ["lanch", "launch"],
  ])("%s → %s", (typed, meant) => {
    expect(closestName(typed, COMMANDS)).toBe(meant);
  });

  it.each(["peers", "deploy", "x"])("suggests nothing for %s", (typed) => {
    expect(closestName(typed, COMMANDS)).toBeUndefined();
  });
});
