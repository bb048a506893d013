/**
 * Latency model kinds by name: how a scenario's `latency` object (or `--latency KIND[:ARG]`) becomes the
 * LatencyModel a run prices with. The three self-contained kinds of cost-models/ are registered here; the
 * device-in-the-loop kind `hil` is provided by hil/ and registered by the CLI (the composition root), so the
 * simulator never imports hil/; plug-ins register their own kinds the same way (docs/plugins.md).
 */
import path from 'node:path';
import { InputError } from '../base/errors.ts';
import { Registry } from '../base/registry.ts';
import { createLatencyModel, type DeviceSpec, type EngineChoice, type LatencyContext } from '../cost-models/index.ts';
import type { Architecture, Dtype, LatencyModel } from '../cost-models/types.ts';
import type { RequestTable } from './request-table.ts';

/** A scenario's `latency` object: `kind` plus the kind's own fields. */
export interface LatencySpecJson {
  kind: string;
  [field: string]: unknown;
}

/** What a latency kind is built from: the run's model, device and precision, and the trace it will price. */
export interface LatencyKindContext {
  arch: Architecture;
  /** The device id, and the device itself (a device file's when the scenario names a path). */
  device: string;
  deviceSpec: DeviceSpec;
  /** The scenario's engine (absent: mllm, the paper's runtime); kinds that measure one runtime refuse another. */
  engine?: EngineChoice;
  dtype: Dtype;
  threads: number;
  /** Folder that relative paths of the spec are resolved against (the scenario file's). */
  baseDir: string;
  /** The run's requests (a device-in-the-loop kind measures what they need up front). */
  table: RequestTable;
  /** Where the spec came from, for messages: `scenario.json: /latency` or `--latency`. */
  where: string;
}

/** A latency model that may hold a resource (a connection) until the run closes it. */
export type RunLatencyModel = LatencyModel & { close?: () => Promise<void> };

export interface LatencyKind {
  /** Builds the model; may throw InputError naming `ctx.where`. */
  create(spec: LatencySpecJson, ctx: LatencyKindContext): RunLatencyModel | Promise<RunLatencyModel>;
  /** `--latency KIND:ARG` as a spec (ARG is '' when absent); paths are resolved against the working folder. */
  fromFlag(arg: string, flags: { tokenFile?: string }): LatencySpecJson;
  /** The flag's form for help and errors, e.g. `calibrated:PATH`. */
  flagForm: string;
}

export const latencyKinds = new Registry<LatencyKind>('latency model kind');

const needsPath = (kind: string, field: string) => (arg: string): LatencySpecJson => {
  if (!arg) throw new InputError('--latency', `${kind} needs a file: ${kind}:PATH`);
  return { kind, [field]: path.resolve(arg) };
};

/** What the cost-model kinds price with: the device itself (a device file's too) and the engine. */
const costContext = (ctx: LatencyKindContext): LatencyContext => ({
  arch: ctx.arch, device: ctx.deviceSpec, dtype: ctx.dtype, threads: ctx.threads, ...(ctx.engine !== undefined ? { engine: ctx.engine } : {}),
});

latencyKinds.register('roofline', {
  flagForm: 'roofline',
  fromFlag: () => ({ kind: 'roofline' }),
  create: (_spec, ctx) => createLatencyModel({ kind: 'roofline' }, costContext(ctx)),
});
latencyKinds.register('calibrated', {
  flagForm: 'calibrated:PATH',
  fromFlag: needsPath('calibrated', 'profile'),
  create: (spec, ctx) => createLatencyModel({ kind: 'calibrated', profile: path.resolve(ctx.baseDir, String(spec.profile)) }, costContext(ctx)),
});
latencyKinds.register('table', {
  flagForm: 'table:PATH',
  fromFlag: needsPath('table', 'table'),
  create: (spec, ctx) => createLatencyModel({ kind: 'table', table: path.resolve(ctx.baseDir, String(spec.table)) }, costContext(ctx)),
});

/** `--latency KIND[:ARG]` through the registry. */
export function parseLatencyFlag(value: string, flags: { tokenFile?: string } = {}): LatencySpecJson {
  const colon = value.indexOf(':');
  const kind = colon < 0 ? value : value.slice(0, colon);
  if (!latencyKinds.has(kind)) {
    const forms = latencyKinds.names().map((n) => latencyKinds.get(n, '--latency').flagForm);
    throw new InputError('--latency', `expected ${forms.join(', ')}, got "${value}"`);
  }
  return latencyKinds.get(kind, '--latency').fromFlag(colon < 0 ? '' : value.slice(colon + 1), flags);
}

/** The run's latency model, built by its kind's factory. */
export function createRunLatency(spec: LatencySpecJson, ctx: LatencyKindContext): RunLatencyModel | Promise<RunLatencyModel> {
  return latencyKinds.get(spec.kind, `${ctx.where}/kind`).create(spec, ctx);
}
