/**
 * Whether the renderer can hear GAN Lab right now, for everything on screen that would
 * otherwise look live when it is not: the banner says what is wrong, running figures (status,
 * speed, ETA) stop claiming to move, and views reload their data after a reconnection.
 * The client (client.ts) is the only writer.
 */
export type ConnectionState =
  /** Before the first connection. */
  | 'connecting'
  | 'connected'
  /** Still connected, but a heartbeat went unanswered: the server or main process hangs. */
  | 'unresponsive'
  /** The connection closed; reconnecting with backoff. */
  | 'lost'
  /** The server is back but refuses this address's token (it was restarted with --new-token). */
  | 'refused';

export const CONNECTION_MESSAGES: Record<Exclude<ConnectionState, 'connected' | 'connecting'>, string> = {
  lost: 'Connection to GAN Lab lost — reconnecting…',
  unresponsive: 'GAN Lab is not answering — waiting for it…',
  refused: "This address's token is no longer valid: open the address the server printed",
};

class Connection {
  state = $state<ConnectionState>('connecting');
  /**
   * Counts reconnections after the connection was lost: events sent meanwhile never arrived, so
   * what depends on this number (the views, keyed on it in App.svelte) loads afresh.
   */
  epoch = $state(0);

  /** Whether the app's events are reaching this page now; anything "running" is live only then. */
  get live(): boolean {
    return this.state === 'connected';
  }

  set(next: ConnectionState): void {
    if (next === this.state) return;
    if (next === 'connected' && (this.state === 'lost' || this.state === 'refused')) this.epoch++;
    this.state = next;
  }
}

export const connection = new Connection();
