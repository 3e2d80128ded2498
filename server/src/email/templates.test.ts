import { hasUnsafeCharacters } from "@claudemesh/sdk/contracts";
import { describe, expect, it } from "vitest";
import { cappedName, EMAIL_NAME_MAX, inviteEmail, verificationEmail } from "./templates.js";

const INVITE = {
  to: "bea@example.test",
  inviter: "Ada Lovelace",
  mesh: "Platform team",
  role: "member",
  url: "https://mesh.example/invite/abc",
  expiresAt: new Date("2027-01-12T10:00:00Z"),
} as const;

describe("cappedName", () => {
  it("keeps a short name as it is", () => {
    expect(cappedName("Ada Lovelace")).toBe("Ada Lovelace");
  });

  it("cuts a long name to the cap, ending in …", () => {
    const capped = cappedName(`Claim your prize at evil.example ${"x".repeat(200)}`);
    expect(Array.from(capped)).toHaveLength(EMAIL_NAME_MAX);
    expect(capped.endsWith("…")).toBe(true);
  });

  it("counts characters, not UTF-16 units, so an emoji is never split", () => {
    const capped = cappedName("🦊".repeat(100));
    expect(capped).toBe(`${"🦊".repeat(EMAIL_NAME_MAX - 1)}…`);
  });

  it("drops control and bidi characters and folds line breaks an older row may hold", () => {
    const capped = cappedName("Ada\r\nSubject: urgent\u202egnp.exe\u001b[2J   team");
    expect(hasUnsafeCharacters(capped)).toBe(false);
    expect(capped).toBe("Ada Subject: urgentgnp.exe[2J team");
  });
});

describe("inviteEmail", () => {
  it("has a fixed subject and names the inviter and mesh only in labelled, capped fields", () => {
    const email = inviteEmail({
      ...INVITE,
      locale: "en",
      inviter: "Ada\nURGENT: reset your password at evil.example now",
      mesh: "m".repeat(100),
    });
    expect(email.subject).toBe("You're invited to a claudemesh mesh");
    const lines = email.text.split("\n");
    expect(lines).toContain("  Invited by: Ada URGENT: reset your password at evil…");
    expect(lines).toContain(`  Mesh: ${"m".repeat(EMAIL_NAME_MAX - 1)}…`);
    expect(lines).toContain("  Role: Member");
    expect(lines).toContain("  https://mesh.example/invite/abc");
    expect(lines).toContain("  claudemesh join https://mesh.example/invite/abc");
    expect(email.text).toContain("expires on January 12, 2027 at 10:00 AM UTC");
  });

  it("is the same template in Spanish", () => {
    const email = inviteEmail({ ...INVITE, locale: "es", role: "admin" });
    expect(email.subject).toBe("Te han invitado a una malla de claudemesh");
    expect(email.text).toContain("  Invitación de: Ada Lovelace");
    expect(email.text).toContain("  Rol: Admin");
    expect(email.text).toContain("caduca el 12 de enero de 2027");
  });
});

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
