/**
 * A ping a second, to notice a peer that is still connected but no longer answers (a hung server
 * or main process): a ping unanswered for `deadline` ms reports "not answering", the next reply
 * "answering". Only one ping is outstanding at a time, so a hung peer is not sent a queue.
 */
export interface HeartbeatTiming {
  /** Milliseconds between pings. */
  every: number;
  /** Milliseconds a ping may go unanswered before the peer counts as not answering. */
  deadline: number;
}

export const HEARTBEAT: HeartbeatTiming = { every: 1000, deadline: 1000 };

/**
 * Starts pinging; `report(true)` after each reply (an error reply counts: the peer answered),
 * `report(false)` when a reply is late. Returns the function that stops it.
 */
export function startHeartbeat(ping: () => Promise<unknown>, report: (answering: boolean) => void, timing: HeartbeatTiming = HEARTBEAT): () => void {
  let stopped = false;
  let outstanding = false;
  let late: ReturnType<typeof setTimeout> | undefined;
  const beat = () => {
    if (outstanding) return;
    outstanding = true;
    late = setTimeout(() => {
      if (!stopped) report(false);
    }, timing.deadline);
    const settle = () => {
      outstanding = false;
      clearTimeout(late);
      if (!stopped) report(true);
    };
    ping().then(settle, settle);
  };
  const interval = setInterval(beat, timing.every);
  return () => {
    stopped = true;
    clearInterval(interval);
    clearTimeout(late);
  };
}
