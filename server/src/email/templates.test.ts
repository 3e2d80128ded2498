import { describe, expect, it } from "vitest";
import { verificationEmail } from "./templates.js";

describe("verificationEmail", () => {
  it.each([
    ["en", "Confirm your email address for claudemesh", "The link works for one hour."],
    ["es", "Confirma tu correo electrónico para claudemesh", "El enlace dura una hora."],
  ] as const)("in %s: a fixed subject, the link on its own line", (locale, subject, expiry) => {
    const email = verificationEmail({ to: "bea@example.test", locale, url: "https://mesh.example/v?token=t" });
    expect(email).toMatchObject({ to: "bea@example.test", subject });
    expect(email.text.split("\n")).toContain("  https://mesh.example/v?token=t");
    expect(email.text).toContain(expiry);
  });
});
