/** A bare WebSocket client for abuse tests: sends whatever it is given and collects decoded replies. */
import WebSocket from 'ws';
import { decodeAgentMessage, type AgentMessage } from '../../hil/protocol.ts';

export interface RawClient {
  ws: WebSocket;
  replies: AgentMessage[];
  /** Resolves once `count` replies in total have arrived. */
  waitReplies(count: number, timeoutMs?: number): Promise<AgentMessage[]>;
  closed: Promise<{ code: number }>;
}

export function openRaw(url: string, token: string | null): Promise<RawClient> {
  const ws = new WebSocket(url, { headers: token === null ? {} : { Authorization: `Bearer ${token}` }, maxPayload: 64 * 1024 * 1024 });
  const replies: AgentMessage[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  ws.on('message', (data) => {
    const d = decodeAgentMessage(data.toString(), 64 * 1024 * 1024);
    if (!d.ok) throw new Error(`agent sent an invalid message: ${d.message}`);
    replies.push(d.msg);
    for (const w of [...waiters]) if (replies.length >= w.count) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  const closed = new Promise<{ code: number }>((resolve) => ws.once('close', (code) => resolve({ code })));
  return new Promise((resolve, reject) => {
    ws.once('open', () =>
      resolve({
        ws,
        replies,
        closed,
        waitReplies(count, timeoutMs = 30_000) {
          if (replies.length >= count) return Promise.resolve(replies);
          return new Promise((res, rej) => {
            const t = setTimeout(() => rej(new Error(`only ${replies.length}/${count} replies`)), timeoutMs);
            waiters.push({ count, resolve: () => { clearTimeout(t); res(replies); } });
          });
        },
      }));
    ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })));
    ws.once('error', reject);
  });
}
