import type { Child } from "hono/jsx";
import { LOCALES } from "../i18n/locale.js";
import { SITE_ASSETS } from "./assets/site-assets.js";
import type { PageContext } from "./page-context.js";

const FAVICON = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="8" fill="#4b3fd1"/><text x="16" y="21" font-family="system-ui,sans-serif" font-size="14" font-weight="700" fill="#fff" text-anchor="middle">cm</text></svg>',
)}`;

const LANGUAGE_NAMES = { en: "English", es: "Español" } as const;

/** The frame every server-rendered page shares: header, language switcher, one card column. */
export function Layout(props: { page: PageContext; title: string; wide?: boolean; children: Child }) {
  const { page } = props;
  const { t } = page;
  return (
    <html lang={page.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <link rel="icon" href={FAVICON} />
        <title>{`${props.title} · claudemesh`}</title>
        <link rel="stylesheet" href={SITE_ASSETS.css.path} />
        <script src={SITE_ASSETS.script.path} defer />
      </head>
      <body>
        <a class="skip" href="#content">
          {t("nav.skip")}
        </a>
        <header class="top">
          <a class="brand" href="/">
            <span class="brand-mark" aria-hidden="true">
              cm
            </span>
            claudemesh
          </a>
          {page.viewer ? (
            <nav class="account" aria-label="claudemesh">
              <a href="/dashboard/meshes">{t("nav.meshes")}</a>
              <a href="/dashboard/settings/cli-tokens">{t("nav.tokens")}</a>
              <a href="/dashboard/settings/security">{t("nav.security")}</a>
              <span class="who">{t("nav.signedInAs", { email: page.viewer.email })}</span>
              <form method="post" action="/logout">
                <button type="submit" class="link">
                  {t("nav.signOut")}
                </button>
              </form>
            </nav>
          ) : null}
          <nav class="languages" aria-label={t("language.switch")}>
            {LOCALES.map((locale) => (
              <a
                href={`/lang/${locale}?next=${encodeURIComponent(page.here)}`}
                lang={locale}
                hreflang={locale}
                aria-current={locale === page.locale ? "true" : undefined}
              >
                {LANGUAGE_NAMES[locale]}
              </a>
            ))}
          </nav>
        </header>
        <main id="content" class={props.wide ? "wide" : undefined}>
          {props.children}
        </main>
      </body>
    </html>
  );
}
