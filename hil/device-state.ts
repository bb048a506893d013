/**
 * A snapshot of the device state that affects kernel timings: per-CPU frequency and governor, thermal zones,
 * battery. Read from the real /sys files (Linux and Android expose the same paths); whatever cannot be read —
 * a VM without cpufreq, a phone that hides thermal zones from apps — is reported as null, never guessed.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { DeviceState } from './protocol.ts';

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
}

function readNumber(path: string): number | null {
  const text = readText(path);
  if (text === null || text === '') return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

function list(dir: string, pattern: RegExp): string[] {
  try {
    return readdirSync(dir).filter((n) => pattern.test(n)).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  } catch {
    return [];
  }
}

export function readDeviceState(sysRoot = '/sys'): DeviceState {
  const cpuDir = `${sysRoot}/devices/system/cpu`;
  const cpus = list(cpuDir, /^cpu\d+$/).map((name) => {
    const base = `${cpuDir}/${name}/cpufreq`;
    return {
      cpu: Number(name.slice(3)),
      curKHz: readNumber(`${base}/scaling_cur_freq`),
      maxKHz: readNumber(`${base}/scaling_max_freq`),
      governor: readText(`${base}/scaling_governor`),
    };
  });
  const thermalDir = `${sysRoot}/class/thermal`;
  const thermal = list(thermalDir, /^thermal_zone\d+$/).map((zone) => ({
    zone,
    type: readText(`${thermalDir}/${zone}/type`),
    milliC: readNumber(`${thermalDir}/${zone}/temp`),
  }));
  const supplyDir = `${sysRoot}/class/power_supply`;
  const batteryName = list(supplyDir, /.*/).find((n) => readText(`${supplyDir}/${n}/type`) === 'Battery');
  const battery = batteryName === undefined
    ? null
    : {
        capacityPct: readNumber(`${supplyDir}/${batteryName}/capacity`),
        status: readText(`${supplyDir}/${batteryName}/status`),
        tempDeciC: readNumber(`${supplyDir}/${batteryName}/temp`),
      };
  return { atMs: Date.now(), cpus, thermal, battery, loadavg: loadavg() };
}

/** Hottest readable thermal zone in °C, or null when no zone is readable. */
export function maxTemperatureC(state: DeviceState): number | null {
  const temps = state.thermal.map((t) => t.milliC).filter((t): t is number => t !== null);
  return temps.length === 0 ? null : Math.max(...temps) / 1000;
}

/** Distinct governors seen across CPUs ("performance", "schedutil", …), empty when unreadable. */
export function governors(state: DeviceState): string[] {
  return [...new Set(state.cpus.map((c) => c.governor).filter((g): g is string => g !== null))].sort();
}
