import type { Child } from "hono/jsx";
import { Layout } from "./layout.js";
import type { PageContext } from "./page-context.js";

/** How a result reads at a glance: done, refused or failed, or just information. */
export type Tone = "ok" | "bad" | "neutral";

const ICONS: Record<Tone, string> = { ok: "✓", bad: "✕", neutral: "i" };

/** A page that only says something (an error, or "return to your terminal"), with an optional follow-up. */
export function MessagePage(props: {
  page: PageContext;
  title: string;
  message: string;
  tone?: Tone;
  children?: Child;
}) {
  const tone = props.tone ?? "neutral";
  return (
    <Layout page={props.page} title={props.title}>
      <section class="card">
        <div class={`result ${tone}`} role={tone === "neutral" ? undefined : "status"}>
          <div class="icon" aria-hidden="true">
            {ICONS[tone]}
          </div>
          <h1>{props.title}</h1>
          <p class="muted">
            <Markup text={props.message} />
          </p>
        </div>
        {props.children}
      </section>
    </Layout>
  );
}

/** Shows `backticked` words of a message as code, the rest as text. */
export function Markup(props: { text: string }) {
  return (
    <>{props.text.split(/(`[^`]+`)/).map((part) => (part.startsWith("`") ? <code>{part.slice(1, -1)}</code> : part))}</>
  );
}
