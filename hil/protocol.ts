/**
 * The HIL wire protocol: versioned JSON text messages over one WebSocket. Each message type has its own JSON
 * Schema under hil/schemas/; both the agent and the controller validate every message they receive with the
 * same compiled schemas, so a message one side accepts is exactly a message the other side may send.
 */
import { readFileSync } from 'node:fs';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { compileSchema } from '../base/json-file.ts';

/** Bumped on any incompatible change of a message schema. */
export const PROTOCOL_VERSION = 1;

export type JobOp = 'block-prefill' | 'block-decode';
export type JobDtype = 'fp32' | 'fp16';

export interface BlockShape {
  hidden: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  ffn: number;
  maxContext: number;
  loraRank: number;
  seed: number;
}

export interface Job {
  id: string;
  label?: string;
  op: JobOp;
  dtype: JobDtype;
  block: BlockShape;
  /** Nominal model level the active dims came from (informative; the agent runs activeHeads/activeFfn). */
  level?: number;
  activeHeads: number;
  activeFfn: number;
  /** Prompt tokens for block-prefill, KV-cache context length for block-decode. */
  tokens: number;
  threads: number;
  warmup: number;
  repetitions: number;
  cooldownMs: number;
}

export interface DeviceState {
  atMs: number;
  cpus: { cpu: number; curKHz: number | null; maxKHz: number | null; governor: string | null }[];
  thermal: { zone: string; type: string | null; milliC: number | null }[];
  battery: { capacityPct: number | null; status: string | null; tempDeciC: number | null } | null;
  loadavg: number[] | null;
}

export interface AgentLimits {
  maxMessageBytes: number;
  maxJobs: number;
  maxJobMs: number;
  maxBlockBytes: number;
}

export type ErrorCode =
  | 'bad-json' | 'binary' | 'too-large' | 'schema' | 'unknown-type' | 'not-hello' | 'bad-protocol' | 'busy'
  | 'plan-running' | 'plan-invalid' | 'no-addon' | 'no-plan' | 'job-failed' | 'job-timeout';

export interface HelloMsg { type: 'hello'; protocol: number; client: string }
export interface PlanMsg { type: 'plan'; planId: string; jobs: Job[] }
export interface CancelMsg { type: 'cancel'; planId: string }
export interface PingMsg { type: 'ping'; id: number }
export interface CapabilitiesMsg {
  type: 'capabilities';
  protocol: number;
  agentVersion: string;
  addon: { version: string; arch: string; simd: 'neon-fp16' | 'neon' | 'avx2' | 'scalar'; fp16Native: boolean; maxThreads: number } | null;
  addonError: string | null;
  ops: string[];
  dtypes: string[];
  cores: number;
  memoryBytes: number;
  platform: string;
  limits: AgentLimits;
}
export interface PongMsg { type: 'pong'; id: number; running: string | null }
export interface ProgressMsg {
  type: 'progress'; planId: string; jobId: string; jobIndex: number; jobs: number; repetition: number; repetitions: number;
}
export interface ResultMsg {
  type: 'result'; planId: string; jobId: string; rawNs: number[]; warmupNs: number[]; before: DeviceState; after: DeviceState;
}
export interface PlanDoneMsg { type: 'plan-done'; planId: string; status: 'completed' | 'cancelled'; completed: number }
export interface ErrorMsg { type: 'error'; code: ErrorCode; message: string; planId?: string; jobId?: string }

export type ControllerMessage = HelloMsg | PlanMsg | CancelMsg | PingMsg;
export type AgentMessage = CapabilitiesMsg | PongMsg | ProgressMsg | ResultMsg | PlanDoneMsg | ErrorMsg;

const CONTROLLER_TYPES = ['hello', 'plan', 'cancel', 'ping'] as const;
const AGENT_TYPES = ['capabilities', 'pong', 'progress', 'result', 'plan-done', 'error'] as const;

function loadSchema(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`./schemas/${name}.schema.json`, import.meta.url), 'utf8'));
}

const common = loadSchema('common');
const validators = new Map<string, ValidateFunction>();
for (const t of [...CONTROLLER_TYPES, ...AGENT_TYPES]) validators.set(t, compileSchema(loadSchema(t), [common]));

/** A message that failed to decode, with the error the agent sends back for it. */
export interface DecodeFailure { ok: false; code: ErrorCode; message: string }
export type Decoded<M> = { ok: true; msg: M } | DecodeFailure;

function describe(errors: ErrorObject[] | null | undefined): string {
  const e = errors?.[0];
  if (!e) return 'invalid';
  const where = e.instancePath === '' ? '(message)' : e.instancePath;
  const extra = e.keyword === 'additionalProperties' ? ` '${(e.params as { additionalProperty: string }).additionalProperty}'` : '';
  return `${where} ${e.message ?? e.keyword}${extra}`;
}

/**
 * Decodes one text frame: size limit, JSON, then the schema of its declared type. `allowed` is the set of
 * types the receiving side accepts (a controller never accepts a plan, an agent never accepts a result).
 */
function decode<M>(text: string, maxBytes: number, allowed: readonly string[]): Decoded<M> {
  if (Buffer.byteLength(text, 'utf8') > maxBytes) {
    return { ok: false, code: 'too-large', message: `message is ${Buffer.byteLength(text, 'utf8')} bytes; the limit is ${maxBytes}` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, code: 'bad-json', message: `not JSON: ${(e as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, code: 'schema', message: '(message) must be a JSON object with a string "type"' };
  }
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string') return { ok: false, code: 'schema', message: '/type must be a string' };
  if (!allowed.includes(type)) {
    return { ok: false, code: 'unknown-type', message: `unknown message type ${JSON.stringify(type.slice(0, 64))}; expected one of ${allowed.join(', ')}` };
  }
  const validate = validators.get(type)!;
  if (!validate(value)) return { ok: false, code: 'schema', message: `${type}: ${describe(validate.errors)}` };
  return { ok: true, msg: value as M };
}

export function decodeControllerMessage(text: string, maxBytes: number): Decoded<ControllerMessage> {
  return decode<ControllerMessage>(text, maxBytes, CONTROLLER_TYPES);
}

export function decodeAgentMessage(text: string, maxBytes: number): Decoded<AgentMessage> {
  return decode<AgentMessage>(text, maxBytes, AGENT_TYPES);
}

/** Validates a message before sending it (a bug on our side must not reach the wire). */
export function assertValid(msg: ControllerMessage | AgentMessage): void {
  const validate = validators.get(msg.type);
  if (!validate || !validate(msg)) throw new Error(`refusing to send an invalid ${msg.type} message: ${describe(validate?.errors)}`);
}

export function encode(msg: ControllerMessage | AgentMessage): string {
  assertValid(msg);
  return JSON.stringify(msg);
}

/** Bytes of fp32/fp16 weights one block at full width holds (the agent's memory limit is checked on it). */
export function blockWeightBytes(block: BlockShape, dtype: JobDtype, gated = true): number {
  const attn = block.hidden * block.heads * block.headDim * 2 + block.hidden * block.kvHeads * block.headDim * 2;
  const mlp = block.hidden * block.ffn * (gated ? 3 : 2);
  const kv = 2 * block.maxContext * block.kvHeads * block.headDim;
  return (attn + mlp + kv) * (dtype === 'fp16' ? 2 : 4);
}
