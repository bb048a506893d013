/**
 * A policy plug-in in one file (docs/plugins.md, docs/policies.md "Adding your own policy"):
 *
 *   elastitwin run default --plugin greedy-latency.ts --policies greedy-latency,elastilm
 *
 * greedy-latency keeps the whole prompt and takes the largest elastic level that fits the request's SLO (the
 * ratio rule in isolated mode, predicted latency against the remaining budget in timed mode); when nothing
 * fits, the smallest level. It ignores accuracy, which makes it a baseline for prompt-aware policies.
 *
 * The import is of types only: it is erased when the plug-in is loaded, so the file runs from any folder.
 */
import type { Decision, DecisionContext, PluginApi, Policy, RequestView } from '../../sim/plugin-api.ts';

export default function register(api: PluginApi): void {
  api.registerPolicy('greedy-latency', (options, env) => {
    const unknown = Object.keys(options);
    if (unknown.length > 0) throw new Error(`greedy-latency takes no options, got ${unknown.join(', ')}`);
    const space = api.buildElasticSpace(env.arch, true);
    const fullPrompt = space.configs[0]!; // row 0: prompt ratio 1.0, levels 0.2 .. 1.0
    // it runs the nested elastic sub-models, so it is judged on their accuracy surface
    const method = { accuracyMethod: api.ELASTIC_SUBMODELS, switchKind: 'pointer' as const, usesTlm: false };
    const policy: Policy = {
      name: 'greedy-latency',
      method,
      decide(req: RequestView, ctx: DecisionContext): Decision {
        for (let m = fullPrompt.length - 1; m >= 0; m--) {
          if (api.feasible(fullPrompt[m]!, req, ctx, method.switchKind)) return fullPrompt[m]!;
        }
        return fullPrompt[0]!;
      },
    };
    return policy;
  });
}
