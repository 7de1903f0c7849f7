/** Bounded parallel I/O over a (possibly lazy) iterable, shared by the writer and the --check diff. */

/** How many file operations run at once. */
export const PARALLEL_IO = 64;

/**
 * Runs `task` over `items` with at most `limit` in flight, taking items from the iterable only
 * as a slot frees up (a lazy iterable is rendered a few items at a time, never all at once).
 * After a failure no new task starts, and it rejects only once every task in flight has
 * settled, so cleanup never races a write.
 */
export async function forEachLimit<T>(items: Iterable<T>, limit: number, task: (item: T) => Promise<unknown>): Promise<void> {
  const it = items[Symbol.iterator]();
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (!failure) {
      try {
        const next = it.next();
        if (next.done) return;
        await task(next.value);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  if (failure) throw failure.error;
}
