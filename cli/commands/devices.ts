/** `elastitwin devices`: the device catalogue with every number's source. */
import type { Command } from 'commander';
import { listDevices, peakFlops } from '../../cost-models/index.ts';

const GiB = 2 ** 30;

export function register(program: Command): void {
  program
    .command('devices')
    .description('list the devices the cost models know, with the source of each number')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => {
      const devices = listDevices();
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(devices, null, 2)}\n`);
        return;
      }
      const lines = ['id             soc                 memory (usable)     DRAM peak  fp16 peak, 4 threads'];
      for (const d of devices) {
        const r = d.roofline;
        lines.push(
          [
            d.id.padEnd(14),
            d.soc.padEnd(19),
            `${(d.memoryBytes / GiB).toFixed(1)} GiB (${(d.usableMemoryBytes / GiB).toFixed(1)})`.padEnd(19),
            (r ? `${r.dramPeakGBps.toFixed(1)} GB/s` : 'calibrate').padStart(10),
            r ? `${(peakFlops(r, 4, 'fp16') / 1e9).toFixed(0)} GFLOP/s` : 'calibrate',
          ].join(' '),
        );
      }
      lines.push('', 'sources (`--json` lists them all):');
      for (const d of devices) for (const [k, v] of Object.entries(d.sources)) lines.push(`  ${d.id}.${k}: ${v}`);
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
