/**
 * The renderer's heartbeat: one ping a second, and "not answering" reported when a ping goes
 * unanswered for a second (so a hung server or main process is noticed within about 2 s), then
 * "answering" again as soon as a reply comes. Timers are faked: no wall clock in the test.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startHeartbeat } from '../src/renderer/lib/heartbeat.js';

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

/** A ping whose replies the test hands out by hand. */
function manualPing() {
  const waiting: Array<() => void> = [];
  let sent = 0;
  return {
    ping: () => {
      sent++;
      return new Promise<void>((resolve) => waiting.push(resolve));
    },
    answerAll: () => waiting.splice(0).forEach((r) => r()),
    get sent() {
      return sent;
    },
  };
}

describe('startHeartbeat', () => {
  it('pings once a second while answers come, reporting answering', async () => {
    const p = manualPing();
    const seen: boolean[] = [];
    const stop = startHeartbeat(p.ping, (ok) => seen.push(ok));
    for (let i = 0; i < 3; i++) {
      await vi.advanceTimersByTimeAsync(1000);
      p.answerAll();
      await vi.advanceTimersByTimeAsync(0);
    }
    expect(p.sent).toBe(3);
    expect(seen).toEqual([true, true, true]);
    stop();
  });

  it('reports not answering within 2 s of the last reply, and answering again when a reply comes', async () => {
    const p = manualPing();
    const seen: boolean[] = [];
    const stop = startHeartbeat(p.ping, (ok) => seen.push(ok));
    await vi.advanceTimersByTimeAsync(1000);
    p.answerAll();
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toEqual([true]);
    // The other side hangs right after that reply.
    await vi.advanceTimersByTimeAsync(1999);
    expect(seen).toEqual([true]);
    await vi.advanceTimersByTimeAsync(1);
    expect(seen).toEqual([true, false]);
    // One ping stays outstanding: a hung side is not sent a queue of them.
    await vi.advanceTimersByTimeAsync(3000);
    expect(p.sent).toBe(2);
    p.answerAll();
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toEqual([true, false, true]);
    stop();
  });

  it('counts a failed ping as an answer (the other side replied, with an error)', async () => {
    const seen: boolean[] = [];
    const stop = startHeartbeat(() => Promise.reject(new Error('refused')), (ok) => seen.push(ok));
    await vi.advanceTimersByTimeAsync(1000);
    expect(seen).toEqual([true]);
    stop();
  });

  it('stops pinging and reporting once stopped', async () => {
    const p = manualPing();
    const seen: boolean[] = [];
    const stop = startHeartbeat(p.ping, (ok) => seen.push(ok));
    await vi.advanceTimersByTimeAsync(1000);
    stop();
    await vi.advanceTimersByTimeAsync(5000);
    p.answerAll();
    await vi.advanceTimersByTimeAsync(0);
    expect(p.sent).toBe(1);
    expect(seen).toEqual([]);
  });
});
