/** The one stylesheet every page uses, served from /assets (the CSP allows no inline styles). */
export const SITE_CSS = `
:root {
  color-scheme: light dark;
  --fg: #1b1b1f; --muted: #5f6068; --bg: #f4f4f6; --card: #ffffff; --border: #dcdce2; --subtle: #f0f0f4;
  --accent: #4b3fd1; --accent-fg: #ffffff; --accent-soft: #ecebfc;
  --danger: #b42318; --danger-soft: #fdeceb; --ok: #147a3d; --ok-soft: #e7f6ec; --warn: #8a5a00; --warn-soft: #fff5e0;
  --radius: 12px; --mono: ui-monospace, "SFMono-Regular", "Cascadia Mono", Menlo, Consolas, monospace;
}
@media (prefers-color-scheme: dark) {
  :root {
    --fg: #ececf1; --muted: #a3a3ad; --bg: #111114; --card: #1b1b20; --border: #33333b; --subtle: #23232a;
    --accent: #8c82ff; --accent-fg: #0d0c1d; --accent-soft: #27244a;
    --danger: #ff8a80; --danger-soft: #3a1d1b; --ok: #7fd69c; --ok-soft: #173322; --warn: #f2c26b; --warn-soft: #3a2e14;
  }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; min-height: 100vh; display: flex; flex-direction: column; background: var(--bg); color: var(--fg);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.skip { position: absolute; left: -9999px; } .skip:focus { left: 16px; top: 12px; background: var(--card); padding: 8px 12px; z-index: 1; }
header.top { display: flex; align-items: center; gap: 16px; padding: 12px 20px; border-bottom: 1px solid var(--border); background: var(--card); flex-wrap: wrap; }
.brand { display: flex; align-items: center; gap: 10px; font-weight: 650; color: var(--fg); text-decoration: none; letter-spacing: -.01em; }
.brand-mark { width: 26px; height: 26px; border-radius: 7px; background: var(--accent); color: var(--accent-fg); display: grid; place-items: center; font-size: 14px; font-weight: 700; }
header.top nav { display: flex; align-items: center; gap: 14px; flex-wrap: wrap; font-size: .92rem; }
header.top nav.account { margin-left: auto; }
header.top nav.account + nav.languages { margin-left: 0; }
header.top nav.languages { margin-left: auto; }
header.top nav a { text-decoration: none; }
header.top nav form { margin: 0; }
header.top nav button.link { text-decoration: none; }
.who { color: var(--muted); }
.languages { display: flex; gap: 4px; font-size: .85rem; }
.languages a { padding: 2px 8px; border-radius: 6px; text-decoration: none; color: var(--muted); }
.languages a[aria-current="true"] { background: var(--subtle); color: var(--fg); font-weight: 600; }
main { flex: 1; width: 100%; max-width: 460px; margin: 40px auto; padding: 0 16px; }
main.wide { max-width: 920px; }
.card { background: var(--card); border: 1px solid var(--border); border-radius: var(--radius); padding: 28px; box-shadow: 0 1px 2px rgba(0,0,0,.04); }
.card + .card { margin-top: 20px; }
h1 { font-size: 1.4rem; line-height: 1.25; margin: 0 0 12px; letter-spacing: -.01em; }
h2 { font-size: 1.1rem; margin: 0 0 6px; }
p { margin: 0 0 16px; }
.muted { color: var(--muted); }
.lead { color: var(--muted); margin-bottom: 24px; }
code, .code { font-family: var(--mono); font-size: .92em; }
label { display: block; font-weight: 560; margin: 0 0 6px; }
.field { margin-bottom: 16px; }
.hint { color: var(--muted); font-size: .85rem; margin-top: 4px; }
input[type=text], input[type=email], input[type=password], select {
  width: 100%; min-height: 44px; padding: 10px 12px; border-radius: 8px; border: 1px solid var(--border); background: var(--card); color: var(--fg); font: inherit; }
input.code-input { font-family: var(--mono); font-size: 1.3rem; letter-spacing: .12em; text-transform: uppercase; text-align: center; }
[hidden] { display: none !important; }
.secret-key code { font-size: 1.05rem; word-break: break-all; }
.backup-codes { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 6px 16px; }
.passkey-list { list-style: none; padding: 0; }
.passkey-list li { display: flex; justify-content: space-between; align-items: center; gap: 12px; padding: 8px 0; border-bottom: 1px solid var(--border); }
.passkey-sign-in { margin-top: 12px; }
p.or { text-align: center; margin: 12px 0; }
button, .button { display: inline-flex; justify-content: center; align-items: center; gap: 6px; padding: 10px 16px; border-radius: 8px;
  border: 1px solid var(--border); background: var(--card); color: var(--fg); font: inherit; font-weight: 560; cursor: pointer; text-decoration: none; }
button.primary, .button.primary { background: var(--accent); border-color: var(--accent); color: var(--accent-fg); }
button.danger { background: var(--danger); border-color: var(--danger); color: #fff; }
button.link { border: 0; background: none; padding: 0; color: var(--accent); font-weight: 500; text-decoration: underline; }
button.small, .button.small { padding: 6px 10px; font-size: .88rem; }
button.block { width: 100%; }
.actions { display: flex; gap: 12px; margin-top: 8px; } .actions > * { flex: 1; } .actions form { margin: 0; display: flex; } .actions form button { flex: 1; }
.notice { border-radius: 8px; padding: 10px 14px; margin: 0 0 16px; border: 1px solid transparent; }
.notice.error { background: var(--danger-soft); color: var(--danger); border-color: color-mix(in srgb, var(--danger) 30%, transparent); }
.notice.ok { background: var(--ok-soft); color: var(--ok); }
.notice.warn { background: var(--warn-soft); color: var(--warn); }
.notice.info { background: var(--accent-soft); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 8px 18px; margin: 0 0 20px; padding: 16px; background: var(--subtle); border-radius: 10px; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.user-code { font-family: var(--mono); font-size: 1.5rem; font-weight: 700; letter-spacing: .12em; }
.countdown { font-variant-numeric: tabular-nums; color: var(--muted); margin: -8px 0 16px; }
.countdown.expired { color: var(--danger); }
.result { text-align: center; padding: 8px 0; }
.result .icon { width: 52px; height: 52px; border-radius: 50%; display: grid; place-items: center; margin: 0 auto 14px; font-size: 26px; font-weight: 700; }
.result.ok .icon { background: var(--ok-soft); color: var(--ok); } .result.bad .icon { background: var(--danger-soft); color: var(--danger); }
.result.neutral .icon { background: var(--subtle); color: var(--muted); }
.switch-form { margin-top: 20px; font-size: .92rem; color: var(--muted); }
table { width: 100%; border-collapse: collapse; font-size: .94rem; }
th { text-align: left; font-weight: 560; color: var(--muted); font-size: .82rem; text-transform: uppercase; letter-spacing: .03em; }
th, td { padding: 10px 8px; border-bottom: 1px solid var(--border); vertical-align: middle; }
td.actions-cell { text-align: right; white-space: nowrap; }
tr:last-child td { border-bottom: 0; }
.empty { color: var(--muted); padding: 14px 0 4px; }
.section-head { display: flex; justify-content: space-between; align-items: baseline; gap: 12px; flex-wrap: wrap; margin-bottom: 12px; }
.token-box { display: flex; gap: 8px; margin: 12px 0 4px; }
.token-box input { font-family: var(--mono); font-size: .9rem; }
.new-token-title { margin-top: 28px; }
.new-token { display: grid; grid-template-columns: 1fr 200px auto; gap: 12px; align-items: end; }
.new-token .field { margin: 0; }
form.inline { display: inline; margin: 0; }
.actions.start { justify-content: flex-start; flex-wrap: wrap; } .actions.start > * { flex: 0 0 auto; }
.wrap { overflow-wrap: anywhere; min-width: 0; }
.address { overflow-wrap: anywhere; font-family: var(--mono); font-size: .88rem; }
.badge { display: inline-block; margin-left: 8px; padding: 1px 8px; border-radius: 999px; font-size: .78rem; background: var(--accent-soft); color: var(--fg); vertical-align: 1px; }
@media (max-width: 640px) {
  main { margin: 20px auto; }
  .card { padding: 20px; }
  .new-token { grid-template-columns: 1fr; }
  table.responsive thead { display: none; }
  table.responsive tr { display: block; padding: 10px 0; border-bottom: 1px solid var(--border); }
  table.responsive tr:last-child { border-bottom: 0; }
  table.responsive td { display: flex; justify-content: space-between; gap: 12px; border: 0; padding: 3px 0; }
  table.responsive td::before { content: attr(data-label); color: var(--muted); }
  table.responsive td.actions-cell::before { content: ""; }
  header.top nav .who { display: none; }
  header.top nav.languages, header.top nav.account + nav.languages { order: 2; margin-left: auto; }
  header.top nav.account { order: 3; width: 100%; margin-left: 0; }
}
`;
