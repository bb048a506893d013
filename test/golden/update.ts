/**
 * `npm run golden:update [-- --check] [-- NAME…]`: re-records the golden scenarios and prints what changed
 * (`git diff --no-index` of the old and new recordings, CSVs limited to their first changed lines). With
 * --check nothing is written: the diff shows what an update would change. Files are replaced atomically.
 */
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { EXPECTED_DIR, GOLDEN_FILES, firstDifference, goldenNames, renderGolden } from './render.ts';

const args = process.argv.slice(2);
const check = args.includes('--check');
const wanted = args.filter((a) => a !== '--check');
const known = goldenNames();
for (const w of wanted) {
  if (!known.includes(w)) {
    process.stderr.write(`golden:update: no golden scenario "${w}" (known: ${known.join(', ')})\n`);
    process.exit(2);
  }
}
const MAX_CSV_DIFF_LINES = 60;
const scratch = mkdtempSync(path.join(tmpdir(), 'elastitwin-golden-'));
let changed = 0;
try {
  for (const name of wanted.length ? wanted : known) {
    const fresh = await renderGolden(name);
    for (const file of GOLDEN_FILES) {
      const target = path.join(EXPECTED_DIR, name, file);
      const old = existsSync(target) ? readFileSync(target, 'utf8') : '';
      if (old === fresh[file]) continue;
      changed++;
      const before = path.join('recorded', name, file);
      const after = path.join('now', name, file);
      for (const [rel, text] of [[before, old], [after, fresh[file]]] as const) {
        mkdirSync(path.join(scratch, path.dirname(rel)), { recursive: true });
        writeFileSync(path.join(scratch, rel), text);
      }
      const diff = spawnSync('git', ['diff', '--no-index', '--no-color', before, after], { cwd: scratch, encoding: 'utf8' });
      // without git, name the first differing line instead of a full diff
      const first = firstDifference(old, fresh[file]);
      let text = diff.error || diff.stdout === undefined ? `line ${first?.line}:\n- ${first?.expected}\n+ ${first?.actual}\n` : diff.stdout;
      if (file.endsWith('.csv')) {
        const lines = text.split('\n');
        if (lines.length > MAX_CSV_DIFF_LINES) text = `${lines.slice(0, MAX_CSV_DIFF_LINES).join('\n')}\n… ${lines.length - MAX_CSV_DIFF_LINES} more diff lines\n`;
      }
      process.stdout.write(`${old === '' ? 'new' : 'changed'}: ${name}/${file}\n${text}\n`);
      if (!check) {
        mkdirSync(path.dirname(target), { recursive: true });
        const tmp = `${target}.tmp-${process.pid}`;
        writeFileSync(tmp, fresh[file]);
        renameSync(tmp, target);
      }
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
process.stdout.write(
  changed === 0 ? 'golden recordings are up to date\n' : `${changed} file(s) ${check ? 'would change (nothing written: --check)' : 're-recorded; review the diff above and commit it'}\n`,
);
