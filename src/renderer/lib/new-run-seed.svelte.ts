/**
 * A configuration handed to New run by another screen ("New run from this"): the caller seeds it
 * and navigates to #/new; New run takes it once, when it opens, instead of loading a preset. The
 * seed is taken (cleared) on read, so returning to New run later starts from a preset again.
 */
export interface NewRunSeed {
  /** A run's configuration (validated again by config.check before anything starts). */
  config: unknown;
  /** What New run says the form was copied from, e.g. 'run 12 "article · quadratic · seed 1"'. */
  from?: string;
}

let pending: NewRunSeed | null = null;

/** Hands `config` to the next New run screen; call nav.go('new') after it. */
export function seedNewRun(config: unknown, from?: string): void {
  // A snapshot, so a caller's reactive state ($state proxies) is copied, not shared.
  pending = { config: $state.snapshot(config), ...(from !== undefined ? { from } : {}) };
}

/** The seed left by seedNewRun, once; null when there is none. */
export function takeSeed(): NewRunSeed | null {
  const seed = pending;
  pending = null;
  return seed;
}
