/**
 * The calibrated latency model: a device profile (JSON, fitted by `elastitwin calibrate` or written by hand)
 * supplies the coefficients of the block-v1 closed forms; composeFromBlocks turns them into whole-model
 * latencies. Profiles are validated against schemas/device-profile.schema.json on load.
 */
import { readValidatedJson } from '../base/json-file.ts';
import type { BlockCost } from './compose.ts';
import type { Dtype } from './types.ts';

export const DEVICE_PROFILE_SCHEMA = new URL('./schemas/device-profile.schema.json', import.meta.url);

export interface BlockV1Coefficients {
  prefill: { fixedMs: number; perTokenMParamMs: number; perTokenSqKDimMs: number };
  decode: { fixedMs: number; perMParamMs: number; perContextKDimMs: number };
}

export interface DeviceProfileFile {
  schemaVersion: 1;
  device: string;
  dtype: Dtype;
  threads: number;
  form: 'block-v1';
  coefficients: BlockV1Coefficients;
  memcpyGBps?: number;
  flashGBps?: number;
  provenance: { source: 'hil-calibration' | 'manual'; date: string; tool: string; [k: string]: unknown };
}

export function readDeviceProfile(path: string): DeviceProfileFile {
  return readValidatedJson<DeviceProfileFile>(path, DEVICE_PROFILE_SCHEMA, 'device profile');
}

/** prefillBlockMs(T) = a + b·T·P + c·T²·K; decodeBlockMs(L) = d + e·P + f·L·K (affine in L: exact sums). */
export function blockV1(c: BlockV1Coefficients): BlockCost {
  const { fixedMs: a, perTokenMParamMs: b, perTokenSqKDimMs: cq } = c.prefill;
  const { fixedMs: d, perMParamMs: e, perContextKDimMs: f } = c.decode;
  return {
    prefillMs: (P, K, T) => a + b * T * P + cq * T * T * K,
    decodeMs: (P, K, L) => d + e * P + f * L * K,
    decodeSumMs: (P, K, start, steps) => steps * (d + e * P) + f * K * (steps * start + (steps * (steps - 1)) / 2),
  };
}
