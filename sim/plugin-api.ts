/**
 * What a plug-in receives: its file's default export is called with a PluginApi, so it registers policies,
 * queue disciplines and latency model kinds, and builds policies from the shipped parts, without importing
 * the package (a type-only import of this file gives an editor completion and is erased at load).
 *
 *   export default (api) => { api.registerPolicy('mine', (options, env) => …) }
 *
 * The loader (cli/plugins.ts) bundles the file, calls it once per process, and refuses one that registers
 * nothing or a name already taken. See docs/plugins.md.
 */
import { MODEL_RATIOS, PROMPT_RATIOS, type Architecture, type Dtype } from '../cost-models/types.ts';
import { InputError } from '../base/errors.ts';
import { shapeOf } from '../cost-models/levels.ts';
import { VERSION } from '../base/version.ts';
import {
  createRunLatency, latencyKinds, type LatencyKind, type LatencyKindContext, type LatencySpecJson, type RunLatencyModel,
} from './latency-kinds.ts';
import { buildElasticSpace, feasible, ratioFeasible, type ElasticSpace } from './policies/elastic-space.ts';
import { createPolicy, policies, policyNames } from './policies/registry.ts';
import { keptPromptTokens } from './prompt.ts';
import { queues } from './queues/index.ts';
import type { QueueFactory } from './queues/queue.ts';
import type { Config, Decision, DecisionContext, MethodSpec, Policy, PolicyEnv, PolicyFactory, RequestView } from './types.ts';

export type {
  Architecture, Config, Decision, DecisionContext, Dtype, ElasticSpace, LatencyKind, LatencyKindContext, LatencySpecJson,
  MethodSpec, Policy, PolicyEnv, PolicyFactory, QueueFactory, RequestView, RunLatencyModel,
};

/**
 * Accuracy-surface key of the nested elastic sub-models that `buildElasticSpace` runs (the ElastiLM
 * family's surfaces): a policy choosing among those shapes is judged on their accuracy, whoever picks them.
 */
export const ELASTIC_SUBMODELS = 'elastilm';

export interface PluginApi {
  /** ElastiTwin's version, for a plug-in that needs to check it. */
  readonly version: string;
  registerPolicy(name: string, factory: PolicyFactory): void;
  registerQueue(name: string, factory: QueueFactory): void;
  registerLatencyKind(name: string, kind: LatencyKind): void;
  /** A latency model of a registered kind (e.g. `{ kind: 'roofline' }`), for a kind that wraps another. */
  createLatency(spec: LatencySpecJson, ctx: LatencyKindContext): ReturnType<typeof createRunLatency>;
  /** A registered policy (shipped or a plug-in's), e.g. to wrap it; `options` as in a scenario entry. */
  createPolicy(name: string, options: Record<string, unknown>, env: PolicyEnv): Policy;
  policyNames(): string[];
  /** The (prompt ratio x model level) grid of elastic configs of a model, rows by prompt ratio 1.0 .. 0.1. */
  buildElasticSpace(arch: Architecture, lora: boolean): ElasticSpace;
  /** A frozen shape: the full model with some parts changed, e.g. `{ attnLayers: 20, mlpLayers: 20 }`. */
  shapeOf: typeof shapeOf;
  /** Whether a config meets the request's SLO (ratio rule in isolated mode, predicted latency in timed). */
  feasible: typeof feasible;
  /** The isolated-mode ratio rule on its own. */
  ratioFeasible: typeof ratioFeasible;
  /** Prompt tokens kept at a compression ratio (only the system prompt is compressed). */
  keptPromptTokens: typeof keptPromptTokens;
  readonly MODEL_RATIOS: typeof MODEL_RATIOS;
  readonly PROMPT_RATIOS: typeof PROMPT_RATIOS;
  readonly ELASTIC_SUBMODELS: typeof ELASTIC_SUBMODELS;
}

/**
 * The API handed to the plug-in of file `origin`; `registered` counts what it added (a plug-in that adds
 * nothing is refused by the loader). Returned configs are frozen by the registry's wrapper.
 */
export function createPluginApi(origin: string): { api: PluginApi; registered: () => number } {
  let count = 0;
  const api: PluginApi = {
    version: VERSION,
    registerPolicy(name, factory) {
      policies.register(name, freezingDecisions(name, factory, origin), origin);
      count++;
    },
    registerQueue(name, factory) {
      queues.register(name, factory, origin);
      count++;
    },
    registerLatencyKind(name, kind) {
      latencyKinds.register(name, kind, origin);
      count++;
    },
    createPolicy: (name, options, env) => createPolicy(name, options, env, origin),
    createLatency: (spec, ctx) => createRunLatency(spec, ctx),
    policyNames,
    buildElasticSpace,
    shapeOf,
    feasible,
    ratioFeasible,
    keptPromptTokens,
    MODEL_RATIOS,
    PROMPT_RATIOS,
    ELASTIC_SUBMODELS,
  };
  return { api, registered: () => count };
}

/**
 * A plug-in policy's configs are frozen once, the first time they are returned: the service reuses a
 * config's prices for later requests, so a config changed after being returned would be priced wrong.
 */
function freezingDecisions(name: string, factory: PolicyFactory, origin: string): PolicyFactory {
  return (options, env) => {
    let inner: Policy;
    try {
      inner = factory(options, env);
    } catch (e) {
      // a plug-in's own complaint (bad options, say) is the user's to fix: an input error naming the plug-in
      if (e instanceof InputError) throw e;
      throw new InputError(origin, `policy "${name}" could not be built: ${e instanceof Error ? e.message : String(e)}`);
    }
    const seen = new WeakSet<object>();
    return {
      name: inner.name,
      method: Object.freeze({ ...inner.method }),
      decide(req: RequestView, ctx: DecisionContext): Decision {
        const d = inner.decide(req, ctx);
        if (!seen.has(d)) {
          seen.add(d);
          Object.freeze(d);
          if ('shape' in d) Object.freeze(d.shape);
        }
        return d;
      },
    };
  };
}
