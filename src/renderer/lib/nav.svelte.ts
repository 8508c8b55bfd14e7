/**
 * Which screen is showing, kept in the URL's hash (#/library, #/new, #/live/12, #/replay/12,
 * #/compare/3,4) so a reload or the back button returns to the same place. The query string
 * (browser mode's token) is untouched.
 */
export type View = 'library' | 'new' | 'live' | 'replay' | 'compare';

interface Route {
  view: View;
  runId: number | null;
  runIds?: number[];
}

const positiveId = (s: string | undefined): number | null => {
  const id = Number(s);
  return Number.isInteger(id) && id > 0 ? id : null;
};

function parseHash(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('?')[0]!.split('/'); // a view's own state may follow '?'
  const view = parts[0];
  if (view === 'new') return { view: 'new', runId: null };
  if (view === 'live' || view === 'replay') return { view, runId: positiveId(parts[1]) };
  if (view === 'compare') {
    const ids = (parts[1] ?? '').split(',').map(positiveId).filter((id): id is number => id !== null);
    return { view, runId: null, runIds: [...new Set(ids)].slice(0, 4) };
  }
  return { view: 'library', runId: null };
}

class Nav {
  view = $state<View>('library');
  /** The run Live shows; null lets Live choose (the newest running run). */
  liveRunId = $state<number | null>(null);
  /** The run Replay shows. */
  replayRunId = $state<number | null>(null);
  /** The runs Compare shows, in colour order. */
  compareRunIds = $state<number[]>([]);

  constructor() {
    this.read();
    window.addEventListener('hashchange', () => this.read());
  }

  private read(): void {
    const route = parseHash(location.hash);
    this.view = route.view;
    if (route.view === 'live') this.liveRunId = route.runId;
    if (route.view === 'replay') this.replayRunId = route.runId;
    if (route.view === 'compare') this.compareRunIds = route.runIds ?? [];
  }

  go(view: View): void {
    if (view === 'live' && this.liveRunId !== null) this.openLive(this.liveRunId);
    else if (view === 'replay' && this.replayRunId !== null) this.openReplay(this.replayRunId);
    else if (view === 'compare' && this.compareRunIds.length) this.openCompare(this.compareRunIds);
    else location.hash = `#/${view}`;
  }

  openLive(runId: number): void {
    this.liveRunId = runId;
    location.hash = `#/live/${runId}`;
  }

  openReplay(runId: number): void {
    this.replayRunId = runId;
    location.hash = `#/replay/${runId}`;
  }

  openCompare(runIds: number[]): void {
    this.compareRunIds = runIds.slice(0, 4);
    location.hash = `#/compare/${this.compareRunIds.join(',')}`;
  }
}

export const nav = new Nav();
