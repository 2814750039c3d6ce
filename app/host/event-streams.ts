// The till's live event streams (GET /api/events), each bound to the session that opened it.
// A stream carries cart contents, so it must end with its session: at once when that token
// logs out through this host, and otherwise (expiry, logout elsewhere, staff deactivated) at
// the next event or the next periodic check, whichever comes first. The session is checked
// before every event is written, so an ended session never receives another event.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TillEvent } from '../contract';
import type { TerminalCore } from '../core';

export const SESSION_CHECK_MS = 30_000;
const KEEP_ALIVE_MS = 15_000;

export interface TillEventStreams {
  open(token: string, req: IncomingMessage, res: ServerResponse): void;
  /** Ends every stream of this token (after it logged out). */
  endSession(token: string): void;
  closeAll(): void;
  readonly count: number;
}

export function createTillEventStreams(core: TerminalCore, sessionCheckMs = SESSION_CHECK_MS): TillEventStreams {
  const byToken = new Map<string, Set<() => void>>();
  const sessionLive = async (token: string) => (await core.call('auth.whoami', {}, { token })).ok;

  return {
    open(token, req, res) {
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      });
      res.write(': connected\n\n');
      let ended = false;
      // Events are written in order, each after its session check.
      let queue: Promise<void> = Promise.resolve();
      const end = () => {
        if (ended) return;
        ended = true;
        clearInterval(keepAlive);
        clearInterval(check);
        core.events.off('event', onEvent);
        const set = byToken.get(token);
        set?.delete(end);
        if (set?.size === 0) byToken.delete(token);
        if (!res.writableEnded) res.end();
      };
      const write = (text: string) => {
        if (!ended && !res.writableEnded) res.write(text);
      };
      const onEvent = (event: TillEvent) => {
        queue = queue
          .then(async () => {
            if (ended) return;
            if (!(await sessionLive(token))) return end();
            write(`data: ${JSON.stringify(event)}\n\n`);
          })
          .catch(end);
      };
      const keepAlive = setInterval(() => write(': ping\n\n'), KEEP_ALIVE_MS);
      const check = setInterval(() => {
        queue = queue
          .then(async () => {
            if (!ended && !(await sessionLive(token))) end();
          })
          .catch(end);
      }, sessionCheckMs);
      core.events.on('event', onEvent);
      let set = byToken.get(token);
      if (!set) byToken.set(token, (set = new Set()));
      set.add(end);
      req.on('close', end);
      res.on('close', end);
    },
    endSession(token) {
      for (const end of [...(byToken.get(token) ?? [])]) end();
    },
    closeAll() {
      for (const set of [...byToken.values()]) for (const end of [...set]) end();
    },
    get count() {
      let n = 0;
      for (const set of byToken.values()) n += set.size;
      return n;
    },
  };
}
