/**
 * The HIL agent: a WebSocket server that runs measurement plans on the native kernels. Safe defaults first:
 * loopback only unless told otherwise, a bearer token checked in constant time before the upgrade, one
 * controller at a time, size limits on every message, a structured error for anything it will not do — and it
 * keeps serving. A controller that disconnects mid-plan cancels its plan.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { availableParallelism, platform, totalmem } from 'node:os';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import { VERSION } from '../base/version.ts';
import { MeasurementThread } from './measurement-thread.ts';
import { checkPlan } from './plan-checks.ts';
import {
  PROTOCOL_VERSION, decodeControllerMessage, encode, type AgentLimits, type AgentMessage, type CapabilitiesMsg,
  type ErrorCode, type PlanMsg,
} from './protocol.ts';

export const DEFAULT_LIMITS: AgentLimits = {
  maxMessageBytes: 256 * 1024,
  maxJobs: 1_000,
  maxJobMs: 120_000,
  maxBlockBytes: 2 * 1024 ** 3,
};

/** Frames above this are dropped by ws itself (close 1009); between the limit and this we answer 'too-large'. */
const HARD_PAYLOAD_FACTOR = 4;
/**
 * A controller must say hello this soon, and answer WebSocket pings within a heartbeat: a vanished host
 * (USB unplugged, laptop asleep) leaves a half-open socket that would otherwise keep the agent "busy".
 */
const HELLO_TIMEOUT_MS = 10_000;
const HEARTBEAT_MS = 10_000;

export interface AgentOptions {
  host: string;
  port: number;
  /** null only with insecure loopback mode (the CLI enforces that). */
  token: string | null;
  limits?: Partial<AgentLimits>;
  log?: (line: string) => void;
}

export interface RunningAgent {
  url: string;
  port: number;
  close(): Promise<void>;
}

export function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost' || /^127\./.test(host);
}

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** Constant-time check of `Authorization: Bearer <token>` (hashing first makes the lengths equal). */
function authorized(req: IncomingMessage, token: string | null): boolean {
  if (token === null) return true;
  const header = req.headers.authorization ?? '';
  const given = header.startsWith('Bearer ') ? header.slice(7) : '';
  return timingSafeEqual(digest(given), digest(token)) && given.length > 0;
}

export async function startAgent(opts: AgentOptions): Promise<RunningAgent> {
  const limits: AgentLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  const log = opts.log ?? (() => undefined);
  const thread = new MeasurementThread(limits.maxJobMs);
  const { info: addon, error: addonError } = await thread.info;
  if (addon === null) log(`agent: native addon unavailable: ${addonError}`);

  const capabilities: CapabilitiesMsg = {
    type: 'capabilities',
    protocol: PROTOCOL_VERSION,
    agentVersion: VERSION,
    // only the contract's fields: loaders may add their own extras
    addon: addon && { version: addon.version, arch: addon.arch, simd: addon.simd, fp16Native: addon.fp16Native, maxThreads: addon.maxThreads },
    addonError,
    ops: addon ? ['block-prefill', 'block-decode'] : [],
    dtypes: addon ? ['fp32', 'fp16'] : [],
    cores: availableParallelism(),
    memoryBytes: totalmem(),
    platform: `${platform()}-${process.arch}`,
    limits,
  };

  const wss = new WebSocketServer({
    host: opts.host,
    port: opts.port,
    maxPayload: limits.maxMessageBytes * HARD_PAYLOAD_FACTOR,
    perMessageDeflate: false,
    verifyClient: ({ req }, done) => {
      if (authorized(req, opts.token)) return done(true);
      log(`agent: refused a connection from ${req.socket.remoteAddress} (bad or missing token)`);
      done(false, 401, 'Unauthorized');
    },
  });
  await new Promise<void>((resolve, reject) => {
    wss.once('listening', resolve);
    wss.once('error', reject);
  });

  let controller: WebSocket | null = null;
  let running: { planId: string; cancelled: boolean } | null = null;

  const send = (ws: WebSocket, msg: AgentMessage): void => {
    if (ws.readyState === ws.OPEN) ws.send(encode(msg));
  };
  const sendError = (ws: WebSocket, code: ErrorCode, message: string, extra: { planId?: string; jobId?: string } = {}): void =>
    send(ws, { type: 'error', code, message: message.slice(0, 4000), ...extra });

  async function runPlan(ws: WebSocket, plan: PlanMsg): Promise<void> {
    const state = { planId: plan.planId, cancelled: false };
    running = state;
    let completed = 0;
    log(`agent: plan ${plan.planId} (${plan.jobs.length} jobs)`);
    for (const [index, job] of plan.jobs.entries()) {
      if (state.cancelled) break;
      const outcome = await thread.run(job, (repetition) =>
        send(ws, { type: 'progress', planId: plan.planId, jobId: job.id, jobIndex: index, jobs: plan.jobs.length, repetition, repetitions: job.repetitions }),
      );
      if (outcome.kind === 'done') {
        completed++;
        send(ws, { type: 'result', planId: plan.planId, jobId: job.id, rawNs: outcome.rawNs, warmupNs: outcome.warmupNs, before: outcome.before, after: outcome.after });
      } else if (outcome.kind === 'timeout') {
        sendError(ws, 'job-timeout', `job ran longer than ${limits.maxJobMs} ms`, { planId: plan.planId, jobId: job.id });
      } else if (outcome.kind === 'failed') {
        sendError(ws, 'job-failed', outcome.message, { planId: plan.planId, jobId: job.id });
      }
    }
    send(ws, { type: 'plan-done', planId: plan.planId, status: state.cancelled ? 'cancelled' : 'completed', completed });
    log(`agent: plan ${plan.planId} ${state.cancelled ? 'cancelled' : 'completed'} (${completed} results)`);
    if (running === state) running = null;
  }

  function onMessage(ws: WebSocket, session: { hello: boolean }, data: RawData, isBinary: boolean): void {
    if (isBinary) return sendError(ws, 'binary', 'binary frames are not part of the protocol; send JSON text');
    const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
    const decoded = decodeControllerMessage(text, limits.maxMessageBytes);
    if (!decoded.ok) return sendError(ws, decoded.code, decoded.message);
    const msg = decoded.msg;
    if (msg.type === 'ping') return send(ws, { type: 'pong', id: msg.id, running: running?.planId ?? null });
    if (msg.type === 'hello') {
      if (msg.protocol !== PROTOCOL_VERSION) {
        sendError(ws, 'bad-protocol', `this agent speaks protocol ${PROTOCOL_VERSION}, the controller ${msg.protocol}`);
        return void ws.close(1002, 'protocol version');
      }
      session.hello = true;
      return send(ws, capabilities);
    }
    if (!session.hello) return sendError(ws, 'not-hello', `send hello before ${msg.type}`);
    if (msg.type === 'cancel') {
      if (running === null || running.planId !== msg.planId) return sendError(ws, 'no-plan', `no running plan ${msg.planId}`, { planId: msg.planId });
      running.cancelled = true;
      return thread.requestCancel();
    }
    // plan
    if (running !== null) return sendError(ws, 'plan-running', `plan ${running.planId} is still running`, { planId: msg.planId });
    if (addon === null) return sendError(ws, 'no-addon', `the native addon is not loaded: ${addonError}`, { planId: msg.planId });
    const problem = checkPlan(msg.jobs, limits, addon);
    if (problem !== null) return sendError(ws, 'plan-invalid', `plan: ${problem}`, { planId: msg.planId });
    // runPlan marks the plan running before its first await, so a second plan right behind sees it
    void runPlan(ws, msg).catch((e) => log(`agent: plan ${msg.planId} aborted: ${(e as Error).message}`));
  }

  wss.on('connection', (ws) => {
    if (controller !== null) {
      sendError(ws, 'busy', 'another controller is connected; try again when it is done');
      ws.close(1013, 'busy');
      return;
    }
    controller = ws;
    const session = { hello: false };
    log('agent: controller connected');
    let alive = true;
    ws.on('pong', () => (alive = true));
    const heartbeat = setInterval(() => {
      if (!alive) {
        log('agent: controller stopped answering pings; dropping it');
        return void ws.terminate();
      }
      alive = false;
      ws.ping();
    }, HEARTBEAT_MS);
    const helloTimer = setTimeout(() => {
      if (!session.hello) {
        sendError(ws, 'not-hello', `no hello within ${HELLO_TIMEOUT_MS} ms`);
        ws.close(1008, 'no hello');
      }
    }, HELLO_TIMEOUT_MS);
    ws.on('message', (data, isBinary) => {
      try {
        onMessage(ws, session, data, isBinary);
      } catch (e) {
        log(`agent: internal error: ${(e as Error).message}`);
      }
    });
    ws.on('error', (e) => log(`agent: connection error: ${e.message}`));
    ws.on('close', () => {
      clearInterval(heartbeat);
      clearTimeout(helloTimer);
      if (controller === ws) controller = null;
      if (running !== null) {
        running.cancelled = true;
        thread.requestCancel();
        log(`agent: controller left; cancelling plan ${running.planId}`);
        // the next controller's plan queues behind the cancelled job's last repetition
        running = null;
      }
      thread.release();
      log('agent: controller disconnected; ready');
    });
  });

  const address = wss.address();
  const port = typeof address === 'object' && address !== null ? address.port : opts.port;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `ws://${host}:${port}`,
    port,
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await thread.close();
    },
  };
}
