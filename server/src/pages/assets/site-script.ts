/**
 * The only script the pages load, and none of them needs it to work: it
 * counts down `[data-expires-at]` and makes `[data-copy]` buttons copy.
 */
export const SITE_SCRIPT = `
(() => {
  for (const el of document.querySelectorAll("[data-expires-at]")) {
    const end = Date.parse(el.dataset.expiresAt);
    const tick = () => {
      const left = Math.max(0, Math.round((end - Date.now()) / 1000));
      if (left === 0) {
        el.textContent = el.dataset.expiredText;
        el.classList.add("expired");
        for (const b of document.querySelectorAll("[data-expiring]")) b.disabled = true;
        return;
      }
      const time = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      el.textContent = el.dataset.template.replace("{time}", time);
      setTimeout(tick, 1000 - (Date.now() % 1000));
    };
    tick();
  }
  for (const button of document.querySelectorAll("[data-copy]")) {
    button.hidden = false;
    button.addEventListener("click", async () => {
      const source = document.getElementById(button.dataset.copy);
      if (!source) return;
      try {
        await navigator.clipboard.writeText(source.value ?? source.textContent);
      } catch {
        source.select?.();
        document.execCommand("copy");
      }
      const label = button.textContent;
      button.textContent = button.dataset.copiedLabel;
      setTimeout(() => (button.textContent = label), 2000);
    });
  }
})();
`;
