/** Public API of the cost-model layer: architectures, levels, devices, latency, switching and memory. */
export * from './types.ts';
export { getArchitecture, listArchitectures, isElastic } from './architectures.ts';
export { PRUNE_RATIOS, subModelDims, fullDims, fullShape, elasticShape, shapeOf, shapeKey, levelIndex, type LayerDims } from './levels.ts';
export {
  LORA_RANK, DTYPES, bytesPerParam, archParams, shapeParams, shapeBytes, shapeFlopsPerToken, realComputeFraction,
  layerParams, loraParams, layerGroups,
} from './params.ts';
export { getDevice, listDevices, peakFlops, type DeviceSpec, type RooflineParams, type SwitchSpeeds } from './devices.ts';
export { composeFromBlocks, SPARSE_PENALTY, type BlockCost, type ComposedLatency, type ComposeOptions } from './compose.ts';
export { rooflineBlock } from './roofline.ts';
export { blockV1, readDeviceProfile, DEVICE_PROFILE_SCHEMA, type DeviceProfileFile, type BlockV1Coefficients } from './calibrated.ts';
export { readLatencyTable, LATENCY_TABLE_SCHEMA, type LatencyTableFile } from './table.ts';
export { createSwitchModel, SWITCH_KINDS } from './switching.ts';
export {
  residentMemory, kvCacheBytes, checkFitsDevice, pfsModels, lacoLayers, METHODS, DEFAULT_CONTEXT_TOKENS, RUNTIME_BYTES,
  type ResidentMemory, type ResidentOptions,
} from './memory.ts';
export { createLatencyModel, type LatencySpec, type LatencyContext } from './latency.ts';
export { phaseEngines, phaseDtype, isPaperEngine, type EngineChoice } from './engine-model.ts';
export { getEngine, listEngines, DEFAULT_ENGINE, type EngineSpec } from './engines.ts';
export { getPrecision, listPrecisions, type Precision } from './precisions.ts';
