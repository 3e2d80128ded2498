/**
 * Runs the tasks given under one key one after another, in the order given, in
 * this process; tasks under other keys run freely. A key whose queue empties
 * is forgotten, so the map holds only keys with work waiting.
 */
export function oneAtATimePerKey() {
  const tails = new Map<string, Promise<void>>();
  return function run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const before = tails.get(key) ?? Promise.resolve();
    const result = before.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return result;
  };
}

export type OneAtATimePerKey = ReturnType<typeof oneAtATimePerKey>;
