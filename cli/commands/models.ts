/** `elastitwin models`: the architecture catalogue with parameter counts. */
import type { Command } from 'commander';
import { archParams, getArchitecture, isElastic, listArchitectures } from '../../cost-models/index.ts';
import { shippedConfigIds } from '../../cost-models/hf-config.ts';

export function register(program: Command): void {
  program
    .command('models')
    .description('list the model architectures the cost models know (elastic LLMs, PFS models, the TLM, shipped config.json models)')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => {
      // the catalogue, then the shipped Hugging Face configs (cost-models/models/; level 1.0 only)
      const all = [...listArchitectures(), ...shippedConfigIds().map((id) => getArchitecture(id))];
      const rows = all.map((a) => ({ ...a, params: archParams(a), elastic: isElastic(a) }));
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      const lines = ['id                  family      layers  hidden  heads×dim  kv  ffn    vocab   params   anchors'];
      for (const r of rows) {
        const a = getArchitecture(r.id);
        lines.push(
          [
            a.id.padEnd(19),
            a.family.padEnd(11),
            String(a.layers).padStart(6),
            String(a.hidden).padStart(7),
            `${a.heads}×${a.headDim}`.padStart(10),
            String(a.kvHeads).padStart(3),
            String(a.ffn).padStart(6),
            String(a.vocab).padStart(7),
            `${(r.params / 1e9).toFixed(3)} B`.padStart(8),
            a.anchorLayers.length ? `{${a.anchorLayers.join(',')}}` : '-',
          ].join(' '),
        );
      }
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
