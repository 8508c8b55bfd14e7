/**
 * latestOnly: while a call is in flight only the newest request waits; a reply for a request
 * already replaced is dropped, unless the view follows a stream (Live following a running run's
 * snapshots), where each reply is shown on its way to the newest, so a stream faster than the
 * calls never leaves the screen without a new picture.
 */
import { describe, expect, it } from 'vitest';
import { latestOnly } from '../src/renderer/lib/latest-only.js';

/** A call whose replies are released by hand, in order. */
function manualCall() {
  const pending: Array<{ query: number; resolve: (r: string) => void }> = [];
  return {
    call: (query: number) => new Promise<string>((resolve) => pending.push({ query, resolve })),
    pending,
    async reply() {
      const p = pending.shift()!;
      p.resolve(`reply ${p.query}`);
      // Let the loop apply the reply and make its next call.
      for (let i = 0; i < 5; i++) await Promise.resolve();
      return p.query;
    },
  };
}

describe('latestOnly', () => {
  it('asks only for the newest of the requests made during a call, and drops a replaced reply', async () => {
    const m = manualCall();
    const shown: string[] = [];
    const f = latestOnly(m.call, (r) => shown.push(r), () => {});
    f.ask(1);
    f.ask(2);
    f.ask(3);
    expect(m.pending.map((p) => p.query)).toEqual([1]);
    expect(await m.reply()).toBe(1);
    expect(shown).toEqual([]); // 3 was asked meanwhile
    expect(await m.reply()).toBe(3);
    expect(shown).toEqual(['reply 3']);
  });

  it('following a stream faster than the calls, shows every reply on its way to the newest', async () => {
    const m = manualCall();
    const shown: string[] = [];
    const f = latestOnly(m.call, (r) => shown.push(r), () => {}, { showEveryReply: true });
    f.ask(1);
    for (let next = 2; next <= 5; next++) {
      f.ask(next); // a new snapshot arrives before each reply
      await m.reply();
    }
    await m.reply();
    expect(shown).toEqual(['reply 1', 'reply 2', 'reply 3', 'reply 4', 'reply 5']);
    f.cancel();
  });
});
