/**
 * Which screen is showing, kept in the URL's hash (#/library, #/new, #/live/12) so a reload or
 * the back button returns to the same place. The query string (browser mode's token) is untouched.
 */
export type View = 'library' | 'new' | 'live';

interface Route {
  view: View;
  runId: number | null;
}

function parseHash(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/');
  const view = parts[0];
  if (view === 'new') return { view: 'new', runId: null };
  if (view === 'live') {
    const id = Number(parts[1]);
    return { view: 'live', runId: Number.isInteger(id) && id > 0 ? id : null };
  }
  return { view: 'library', runId: null };
}

class Nav {
  view = $state<View>('library');
  /** The run Live shows; null lets Live choose (the newest running run). */
  liveRunId = $state<number | null>(null);

  constructor() {
    this.read();
    window.addEventListener('hashchange', () => this.read());
  }

  private read(): void {
    const route = parseHash(location.hash);
    this.view = route.view;
    if (route.view === 'live') this.liveRunId = route.runId;
  }

  go(view: View): void {
    if (view === 'live' && this.liveRunId !== null) this.openLive(this.liveRunId);
    else location.hash = `#/${view}`;
  }

  openLive(runId: number): void {
    this.liveRunId = runId;
    location.hash = `#/live/${runId}`;
  }
}

export const nav = new Nav();
