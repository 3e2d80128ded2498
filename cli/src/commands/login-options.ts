/** The flags of `claudemesh login`, below both login.ts and login-no-wait.ts so neither imports the other back. */
export interface LoginOptions {
  token?: string;
  withToken?: boolean;
  web?: boolean;
  force?: boolean;
  browser?: boolean;
  /** The wizard's "Create an account": the browser opens on sign-up, which then leads to the code. */
  signUp?: boolean;
  /** The token was typed into a hidden prompt, so the `--with-token` tip does not apply. */
  tokenFromPrompt?: boolean;
  /** False with `--no-wait`: print the code and exit (`--continue` finishes); with `--continue`, check once. */
  wait?: boolean;
  /** `--continue`: finish the login `--no-wait` started. */
  continue?: boolean;
  /** With `--no-wait` or `--continue`: one JSON document on stdout. */
  json?: boolean;
  /** False when a sign-in is a step of something else (the wizard, signing in again on a 401): no "get started" line. */
  nextSteps?: boolean;
}
