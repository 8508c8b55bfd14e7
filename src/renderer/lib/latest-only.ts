/**
 * Requests where only the newest matters (a scrubber moving): while one call is in flight, later
 * requests replace each other and only the last is made next, so dragging never queues calls up.
 * A result is applied only if nothing newer was asked meanwhile, unless `showEveryReply`: a view
 * following a stream (Live and a running run's snapshots) shows each reply on its way to the
 * newest, so a stream faster than the calls still moves the screen.
 */
export interface LatestOnly<Q> {
  ask(query: Q): void;
  /** Drops what is pending; a call in flight finishes unseen. */
  cancel(): void;
}

export function latestOnly<Q, R>(
  call: (query: Q) => Promise<R>,
  done: (result: R) => void,
  failed: (error: unknown) => void,
  options: { showEveryReply?: boolean } = {},
): LatestOnly<Q> {
  let wanted: { query: Q } | null = null;
  let busy = false;
  let cancelled = false;
  async function pump() {
    if (busy) return;
    busy = true;
    while (wanted && !cancelled) {
      const { query } = wanted;
      wanted = null;
      try {
        const result = await call(query);
        if ((options.showEveryReply || !wanted) && !cancelled) done(result);
      } catch (e) {
        if (!wanted && !cancelled) failed(e);
      }
    }
    busy = false;
  }
  return {
    ask(query) {
      wanted = { query };
      void pump();
    },
    cancel() {
      cancelled = true;
      wanted = null;
    },
  };
}
