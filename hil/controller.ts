/**
 * The host side of the HIL bridge: connects to an agent with its token, checks the protocol version and the
 * agent's capabilities, runs plans and hands each result to a journal as it arrives. If the connection drops
 * mid-plan it reconnects (the agent may have been restarted) and sends only the jobs the journal lacks.
 */
import WebSocket from 'ws';
import { InputError } from '../base/errors.ts';
import { VERSION } from '../base/version.ts';
import { Journal, type JobResult } from './journal.ts';
import {
  PROTOCOL_VERSION, decodeAgentMessage, encode, type AgentMessage, type CapabilitiesMsg, type ControllerMessage,
  type ErrorMsg, type Job,
} from './protocol.ts';

const HEARTBEAT_MS = 10_000;

/** Agent messages carry results of up to 1000 repetitions plus device state: allow generous frames. */
const MAX_AGENT_MESSAGE_BYTES = 8 * 1024 * 1024;

export class AgentError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'AgentError';
  }
}

export interface ConnectOptions {
  url: string;
  token: string | null;
  timeoutMs?: number;
  busyWaitMs?: number;
}

export interface PlanProgress {
  done: number;
  total: number;
  jobId: string;
  repetition: number;
  repetitions: number;
}

export interface RunPlanOptions {
  /** Where results are journaled; without one the results live in memory only. */
  journal?: Journal;
  onProgress?: (p: PlanProgress) => void;
  /** How long to keep trying to reconnect after the connection drops mid-plan (default 120 s)… */
  reconnectTimeoutMs?: number;
  /** …and the pause between attempts (default 500 ms). */
  reconnectDelayMs?: number;
  log?: (line: string) => void;
}

export interface PlanOutcome {
  results: Map<string, JobResult>;
  failures: { jobId: string; code: string; message: string }[];
  reconnects: number;
}

export class HilController {
  private handler: ((m: AgentMessage) => void) | null = null;
  private readonly pongs = new Map<number, () => void>();
  private nextPing = 1;
  private closed: Promise<void>;

  private constructor(private ws: WebSocket, readonly capabilities: CapabilitiesMsg, private readonly opts: ConnectOptions) {
    this.closed = this.attach(ws);
  }

  /** Routes the socket's messages to the current handler; resolves when the socket closes. */
  private attach(ws: WebSocket): Promise<void> {
    ws.removeAllListeners('message');
    // the agent's event loop stays free while kernels run, so a missed WebSocket pong means the link is gone
    // (phone unplugged, agent frozen): drop the socket so runPlan reconnects instead of waiting forever
    let alive = true;
    ws.on('pong', () => (alive = true));
    const heartbeat = setInterval(() => {
      if (!alive) return void ws.terminate();
      alive = false;
      if (ws.readyState === WebSocket.OPEN) ws.ping();
    }, HEARTBEAT_MS);
    heartbeat.unref();
    ws.once('close', () => clearInterval(heartbeat));
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const decoded = decodeAgentMessage(data.toString(), MAX_AGENT_MESSAGE_BYTES);
      if (!decoded.ok) return;
      const m = decoded.msg;
      // pongs go to their ping, so ping() works while a plan runs
      if (m.type === 'pong') this.pongs.get(m.id)?.();
      else this.handler?.(m);
    });
    return new Promise((resolve) => ws.once('close', () => resolve()));
  }

  /**
   * Opens a connection, says hello and checks the answer. Throws AgentError ('auth', 'busy', …) on refusal.
   * 'busy' is retried for `busyWaitMs` (default 2 s): right after a controller leaves, the agent may not have
   * seen its socket close yet.
   */
  static async connect(opts: ConnectOptions): Promise<HilController> {
    const deadline = Date.now() + (opts.busyWaitMs ?? 2_000);
    for (;;) {
      try {
        return await HilController.connectOnce(opts);
      } catch (e) {
        if (!(e instanceof AgentError && e.code === 'busy') || Date.now() >= deadline) throw e;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  private static async connectOnce(opts: ConnectOptions): Promise<HilController> {
    const headers: Record<string, string> = opts.token === null ? {} : { Authorization: `Bearer ${opts.token}` };
    const timeoutMs = opts.timeoutMs ?? 10_000;
    const ws = new WebSocket(opts.url, { headers, handshakeTimeout: timeoutMs, maxPayload: MAX_AGENT_MESSAGE_BYTES, perMessageDeflate: false });
    const first = await new Promise<AgentMessage>((resolve, reject) => {
      const fail = (e: AgentError): void => {
        ws.terminate();
        reject(e);
      };
      ws.once('unexpected-response', (_req, res) =>
        fail(res.statusCode === 401 ? new AgentError('auth', `agent ${opts.url} refused the token (HTTP 401)`) : new AgentError('http', `agent ${opts.url} answered HTTP ${res.statusCode}`)));
      ws.once('error', (e) => fail(new AgentError('connect', `cannot reach agent ${opts.url}: ${e.message}`)));
      ws.once('close', () => fail(new AgentError('closed', `agent ${opts.url} closed the connection during hello`)));
      ws.once('open', () => ws.send(encode({ type: 'hello', protocol: PROTOCOL_VERSION, client: `elastitwin ${VERSION}` })));
      const timer = setTimeout(() => fail(new AgentError('timeout', `agent ${opts.url} did not answer hello within ${timeoutMs} ms`)), timeoutMs);
      ws.once('close', () => clearTimeout(timer));
      ws.once('message', (data) => {
        clearTimeout(timer);
        const decoded = decodeAgentMessage(data.toString(), MAX_AGENT_MESSAGE_BYTES);
        if (!decoded.ok) fail(new AgentError('protocol', `agent sent an invalid first message: ${decoded.message}`));
        else resolve(decoded.msg);
      });
    });
    ws.removeAllListeners('close');
    ws.removeAllListeners('error');
    ws.on('error', () => undefined);
    if (first.type === 'error') {
      ws.close();
      throw new AgentError(first.code, `agent ${opts.url}: ${first.message}`);
    }
    if (first.type !== 'capabilities') throw new AgentError('protocol', `agent answered hello with ${first.type}`);
    if (first.protocol !== PROTOCOL_VERSION) {
      ws.close();
      throw new AgentError('bad-protocol', `agent speaks protocol ${first.protocol}, this controller ${PROTOCOL_VERSION}`);
    }
    return new HilController(ws, first, opts);
  }

  private send(msg: ControllerMessage): void {
    this.ws.send(encode(msg));
  }

  /** Round-trip time of one ping in milliseconds. */
  async ping(): Promise<number> {
    const id = this.nextPing++;
    const t0 = performance.now();
    await new Promise<void>((resolve) => {
      this.pongs.set(id, resolve);
      this.send({ type: 'ping', id });
    });
    this.pongs.delete(id);
    return performance.now() - t0;
  }

  /** Checks that the agent can run `jobs` at all (addon present, ops and dtypes offered). */
  requireSupport(jobs: Job[]): void {
    const c = this.capabilities;
    if (c.addon === null) throw new AgentError('no-addon', `agent has no native addon: ${c.addonError}`);
    for (const op of new Set(jobs.map((j) => j.op))) if (!c.ops.includes(op)) throw new AgentError('unsupported', `agent does not offer op ${op}`);
    for (const dt of new Set(jobs.map((j) => j.dtype))) if (!c.dtypes.includes(dt)) throw new AgentError('unsupported', `agent does not offer dtype ${dt}`);
  }

  /**
   * Runs `jobs` under `planId` to completion, across reconnects. Jobs already in the journal are not sent;
   * every arriving result is journaled before it counts. Failed jobs are reported, not retried in this run.
   */
  async runPlan(planId: string, jobs: Job[], options: RunPlanOptions = {}): Promise<PlanOutcome> {
    this.requireSupport(jobs);
    const results = options.journal?.results ?? new Map<string, JobResult>();
    const failures: PlanOutcome['failures'] = [];
    const failed = new Set<string>();
    let reconnects = 0;
    for (let attempt = 0; ; attempt++) {
      const pending = jobs.filter((j) => !results.has(j.id) && !failed.has(j.id));
      if (pending.length === 0) break;
      const wirePlanId = `${planId}.${attempt}`;
      const ended = await this.runOnce(wirePlanId, pending, jobs.length, results, options, (f) => {
        failed.add(f.jobId);
        failures.push(f);
      });
      if (ended === 'done') break;
      // the connection dropped: reconnect (the agent may be restarting) and send what is still missing
      await this.reconnect(options);
      reconnects++;
    }
    return { results, failures, reconnects };
  }

  private runOnce(
    wirePlanId: string, pending: Job[], total: number, results: Map<string, JobResult>, options: RunPlanOptions,
    onFailure: (f: PlanOutcome['failures'][number]) => void,
  ): Promise<'done' | 'dropped'> {
    const wanted = new Set(pending.map((j) => j.id));
    // a socket that closed before we got here will not emit 'close' again
    if (this.ws.readyState !== WebSocket.OPEN) return Promise.resolve('dropped');
    return new Promise((resolve, reject) => {
      const onClose = (): void => resolve('dropped');
      this.ws.once('close', onClose);
      const finish = (value: 'done' | Error): void => {
        this.ws.off('close', onClose);
        this.handler = null;
        if (value instanceof Error) reject(value);
        else resolve(value);
      };
      this.handler = (m) => {
        if (m.type === 'result' && m.planId === wirePlanId && wanted.has(m.jobId)) {
          const r: JobResult = { jobId: m.jobId, rawNs: m.rawNs, warmupNs: m.warmupNs, before: m.before, after: m.after };
          if (options.journal) options.journal.append(r);
          else if (!results.has(r.jobId)) results.set(r.jobId, r);
          wanted.delete(m.jobId);
        } else if (m.type === 'progress' && m.planId === wirePlanId) {
          options.onProgress?.({ done: results.size, total, jobId: m.jobId, repetition: m.repetition, repetitions: m.repetitions });
        } else if (m.type === 'plan-done' && m.planId === wirePlanId) {
          finish('done');
        } else if (m.type === 'error') {
          handleError(m);
        }
      };
      const handleError = (m: ErrorMsg): void => {
        if ((m.code === 'job-failed' || m.code === 'job-timeout') && m.jobId !== undefined) {
          options.log?.(`job ${m.jobId} ${m.code}: ${m.message}`);
          onFailure({ jobId: m.jobId, code: m.code, message: m.message });
        } else if (m.planId === wirePlanId || m.planId === undefined) {
          finish(new AgentError(m.code, `agent rejected the plan: ${m.message}`));
        }
      };
      this.send({ type: 'plan', planId: wirePlanId, jobs: pending });
    });
  }

  private async reconnect(options: RunPlanOptions): Promise<void> {
    const deadline = Date.now() + (options.reconnectTimeoutMs ?? 120_000);
    const delay = options.reconnectDelayMs ?? 500;
    let last: unknown = null;
    let attempts = 0;
    while (Date.now() < deadline) {
      attempts++;
      await new Promise((r) => setTimeout(r, delay));
      try {
        const fresh = await HilController.connect(this.opts);
        // keep this object valid for the caller: adopt the new socket and its capabilities
        this.ws = fresh.ws;
        (this as { capabilities: CapabilitiesMsg }).capabilities = fresh.capabilities;
        this.closed = this.attach(fresh.ws);
        options.log?.(`reconnected to ${this.opts.url}`);
        return;
      } catch (e) {
        last = e;
        if (e instanceof AgentError && (e.code === 'auth' || e.code === 'bad-protocol')) throw e;
      }
    }
    throw new AgentError('connect', `lost the agent and could not reconnect after ${attempts} attempts: ${(last as Error)?.message}`);
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close();
    await this.closed;
  }
}

/** Reads a token file (first line, trimmed); an empty or unreadable file is an input error. */
export async function readTokenFile(file: string): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new InputError(file, `cannot read the token file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const token = text.split('\n')[0]!.trim();
  if (token === '') throw new InputError(file, 'the token file is empty');
  return token;
}
