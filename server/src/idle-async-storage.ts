import { AsyncLocalStorage } from "node:async_hooks";

type Run = AsyncLocalStorage<unknown>["run"];

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as PromiseLike<unknown> | null)?.then === "function";

/**
 * Turns every AsyncLocalStorage off whenever no `run()` is in progress anywhere
 * in the process; the next `run()` turns its storage on again, as Node does by itself.
 *
 * Why: on Node 20 an enabled storage installs async hooks that run for every
 * promise in the process, and Node never turns them off. Better Auth (four
 * storages) and hono/jsx enable theirs on the first sign-in or page view, after
 * which every token-authenticated API request paid for them: whoami served
 * 5 300 requests/s instead of 8 800. Web requests still have their storages
 * while they run; the API requests in between run without hooks.
 *
 * A `run()` is in progress until the promise its callback returned settles.
 * Work that outlives its `run()` without being awaited would find no store once
 * the storage is off; Better Auth awaits its background work unless configured
 * otherwise, and hono/jsx renders to a string before it answers.
 *
 * Where AsyncLocalStorage is not built on async hooks (Node 24's
 * AsyncContextFrame), there is nothing to save and this changes nothing.
 * Returns a function that restores Node's own `run()`.
 */
export function disableAsyncStoragesWhenIdle(): () => void {
  const prototype = AsyncLocalStorage.prototype;
  if (!("_enable" in prototype)) return () => {};
  const run = prototype.run as Run;
  const used = new Set<AsyncLocalStorage<unknown>>();
  let inProgress = 0;
  const settled = () => {
    inProgress -= 1;
    if (inProgress === 0) for (const storage of used) storage.disable();
  };
  const runTracked = function (
    this: AsyncLocalStorage<unknown>,
    store: unknown,
    callback: (...args: unknown[]) => unknown,
    ...args: unknown[]
  ) {
    used.add(this);
    const result = run.call(this, store, callback, ...args);
    if (isThenable(result)) {
      inProgress += 1;
      result.then(settled, settled);
    }
    return result;
  } as Run;
  prototype.run = runTracked;
  return () => {
    prototype.run = run;
  };
}
