import WebSocket from 'ws';
import { EventStreamMessageSchema, type ServerEvent } from '../../shared/api/events';

/** A real WebSocket client of /v1/events/stream that records what it receives. */
export class EventClient {
  readonly events: ServerEvent[] = [];
  live = false;
  private ws: WebSocket | null = null;
  private waiters: { pred: () => boolean; resolve: () => void }[] = [];
  closedWith: { code: number; reason: string } | null = null;

  static async connect(baseUrl: string, token: string, after: number): Promise<EventClient> {
    const c = new EventClient();
    await c.open(baseUrl, token, after);
    return c;
  }

  private open(baseUrl: string, token: string, after: number): Promise<void> {
    const url = `${baseUrl.replace(/^http/, 'ws')}/v1/events/stream?after=${after}`;
    const ws = new WebSocket(url, { headers: { authorization: `Bearer ${token}` } });
    this.ws = ws;
    ws.on('message', (data) => {
      const msg = EventStreamMessageSchema.parse(JSON.parse(String(data)));
      if (msg.kind === 'event') this.events.push(msg.event);
      else this.live = true;
      this.check();
    });
    ws.on('close', (code, reason) => {
      this.closedWith = { code, reason: String(reason) };
      this.check();
    });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
  }

  get lastId(): number {
    return this.events.length ? this.events[this.events.length - 1]!.id : 0;
  }

  private check(): void {
    this.waiters = this.waiters.filter((w) => {
      if (!w.pred()) return true;
      w.resolve();
      return false;
    });
  }

  /** Waits until the predicate holds; fails after a bounded time. */
  until(pred: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    if (pred()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
      this.waiters.push({
        pred,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  close(): void {
    this.ws?.close();
  }
}
