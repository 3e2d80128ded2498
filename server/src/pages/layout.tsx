import type { Child } from "hono/jsx";

const STYLE = `
  :root { color-scheme: light dark; --fg: #1d1d1f; --muted: #6e6e73; --bg: #f5f5f7; --card: #fff; --accent: #5b4bdb; --danger: #b3261e; --border: #d2d2d7; }
  @media (prefers-color-scheme: dark) { :root { --fg: #f5f5f7; --muted: #a1a1a6; --bg: #111113; --card: #1c1c1e; --border: #3a3a3c; } }
  * { box-sizing: border-box; }
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: var(--bg); color: var(--fg);
         font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; padding: 16px; }
  main { width: 100%; max-width: 440px; background: var(--card); border: 1px solid var(--border); border-radius: 14px; padding: 28px; }
  h1 { font-size: 1.35rem; margin: 0 0 16px; }
  dl { display: grid; grid-template-columns: auto 1fr; gap: 6px 16px; margin: 0 0 20px; }
  dt { color: var(--muted); } dd { margin: 0; overflow-wrap: anywhere; }
  .warning { border-left: 3px solid var(--danger); padding: 8px 12px; margin: 0 0 20px; color: var(--muted); }
  .actions { display: flex; gap: 12px; } .actions form { flex: 1; }
  button { width: 100%; padding: 10px 14px; border-radius: 8px; border: 1px solid var(--border); font: inherit; cursor: pointer;
           background: transparent; color: var(--fg); }
  button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
  .muted { color: var(--muted); font-size: .9rem; }
`;

/** The frame every server-rendered page shares. */
export function Layout(props: { title: string; children: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title} · claudemesh</title>
        <style>{STYLE}</style>
      </head>
      <body>
        <main>{props.children}</main>
      </body>
    </html>
  );
}
