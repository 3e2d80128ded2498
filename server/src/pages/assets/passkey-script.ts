/**
 * The passkey buttons' script (WebAuthn needs one; everything else on the pages
 * works without). A `[data-passkey]` button shows only where the browser has
 * passkeys, and does one of three things:
 * - `sign-in`: sign in with a passkey, then go to `data-next`;
 * - `confirm`: prove it's you again (step-up) by posting the assertion in the form `data-form`;
 * - `register`: add a passkey to the signed-in account, then go to `data-done`.
 * Failures show the button's `data-error` text (written by the server, in the page's language).
 */
export const PASSKEY_SCRIPT = `
(() => {
  const fromB64url = (text) => {
    const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
    const bytes = atob(b64 + "===".slice((b64.length + 3) % 4));
    return Uint8Array.from(bytes, (ch) => ch.charCodeAt(0)).buffer;
  };
  const toB64url = (buffer) => {
    let text = "";
    for (const byte of new Uint8Array(buffer)) text += String.fromCharCode(byte);
    return btoa(text).replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "");
  };
  const withIds = (list) => (list || []).map((item) => ({ ...item, id: fromB64url(item.id) }));
  const getJson = async (url) => {
    const answer = await fetch(url, { credentials: "same-origin" });
    if (!answer.ok) throw answer;
    return answer.json();
  };
  const postJson = async (url, body) => {
    const answer = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!answer.ok) throw answer;
    return answer.json();
  };
  const assertionJson = (credential) => ({
    id: credential.id,
    rawId: toB64url(credential.rawId),
    type: credential.type,
    authenticatorAttachment: credential.authenticatorAttachment ?? undefined,
    clientExtensionResults: credential.getClientExtensionResults(),
    response: {
      clientDataJSON: toB64url(credential.response.clientDataJSON),
      authenticatorData: toB64url(credential.response.authenticatorData),
      signature: toB64url(credential.response.signature),
      userHandle: credential.response.userHandle ? toB64url(credential.response.userHandle) : undefined,
    },
  });
  const assert = async () => {
    const options = await getJson("/api/auth/passkey/generate-authenticate-options");
    const credential = await navigator.credentials.get({
      publicKey: { ...options, challenge: fromB64url(options.challenge), allowCredentials: withIds(options.allowCredentials) },
    });
    return assertionJson(credential);
  };
  const register = async (name) => {
    const options = await getJson("/api/auth/passkey/generate-register-options");
    const credential = await navigator.credentials.create({
      publicKey: {
        ...options,
        challenge: fromB64url(options.challenge),
        user: { ...options.user, id: fromB64url(options.user.id) },
        excludeCredentials: withIds(options.excludeCredentials),
      },
    });
    const response = credential.response;
    return postJson("/api/auth/passkey/verify-registration", {
      name,
      response: {
        id: credential.id,
        rawId: toB64url(credential.rawId),
        type: credential.type,
        authenticatorAttachment: credential.authenticatorAttachment ?? undefined,
        clientExtensionResults: credential.getClientExtensionResults(),
        response: {
          clientDataJSON: toB64url(response.clientDataJSON),
          attestationObject: toB64url(response.attestationObject),
          transports: response.getTransports ? response.getTransports() : [],
        },
      },
    });
  };
  const actions = {
    "sign-in": async (button) => {
      await postJson("/api/auth/passkey/verify-authentication", { response: await assert() });
      location.assign(button.dataset.next || "/");
    },
    confirm: async (button) => {
      // A form post, like every other page action: the server answers with where to go.
      const form = document.getElementById(button.dataset.form);
      form.elements.assertion.value = JSON.stringify(await assert());
      form.submit();
    },
    register: async (button) => {
      const field = button.dataset.nameField ? document.getElementById(button.dataset.nameField) : null;
      try {
        await register(field && field.value.trim() ? field.value.trim() : undefined);
      } catch (error) {
        // A session past the hour: confirm it's you, then come back here.
        if (error instanceof Response && error.status === 403) {
          location.assign("/confirm?next=" + encodeURIComponent(location.pathname));
          return;
        }
        throw error;
      }
      location.assign(button.dataset.done || location.pathname);
    },
  };
  if (!window.PublicKeyCredential) return;
  for (const button of document.querySelectorAll("[data-passkey]")) {
    const run = actions[button.dataset.passkey];
    if (!run) continue;
    button.hidden = false;
    const error = document.getElementById(button.dataset.errorId || "");
    button.addEventListener("click", async (event) => {
      event.preventDefault();
      button.disabled = true;
      if (error) error.hidden = true;
      try {
        await run(button);
      } catch {
        if (error) error.hidden = false;
        button.disabled = false;
      }
    });
  }
})();
`;
