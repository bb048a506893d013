#!/usr/bin/env node
// `npm run test:props -- [--only NAME] [--seed S|random] [--path P] [--runs N] [--list]`: runs the invariant
// suite (test/properties) with fast-check's seed and path set through ELASTITWIN_FC_* (test/properties/config.ts),
// so the replay line a failure prints reproduces the shrunk counterexample. --only picks one invariant.
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const env = { ...process.env };
let only;
const usage = 'usage: npm run test:props -- [--only NAME] [--seed S|random] [--path P] [--runs N] [--list]';
for (let k = 0; k < args.length; k++) {
  const flag = args[k];
  const value = () => {
    const v = args[++k];
    if (v === undefined) {
      console.error(`${flag} needs a value\n${usage}`);
      process.exit(2);
    }
    return v;
  };
  if (flag === '--seed') env.ELASTITWIN_FC_SEED = value();
  else if (flag === '--path') env.ELASTITWIN_FC_PATH = value();
  else if (flag === '--runs') env.ELASTITWIN_FC_RUNS = value();
  else if (flag === '--only') only = value();
  else if (flag === '--list') {
    const r = spawnSync(process.execPath, ['bin/run-ts.js', 'test/properties/list.ts'], { stdio: 'inherit' });
    process.exit(r.status ?? 1);
  } else {
    console.error(`unknown argument ${flag}\n${usage}`);
    process.exit(2);
  }
}
if (env.ELASTITWIN_FC_SEED !== undefined && !/^(-?\d+|random)$/.test(env.ELASTITWIN_FC_SEED)) {
  console.error(`--seed: expected an integer or "random", got "${env.ELASTITWIN_FC_SEED}"`);
  process.exit(2);
}
if (env.ELASTITWIN_FC_PATH !== undefined && !only) {
  console.error('--path replays one property: give its name with --only NAME');
  process.exit(2);
}
if (only !== undefined && !/^[a-z]+(-[a-z]+)*$/.test(only)) {
  console.error(`--only: expected an invariant name such as clock-monotone, got "${only}"`);
  process.exit(2);
}
// titles start with "NAME (N runs": matching that keeps the mutation tests (which name invariants) out
const filter = only ? ['-t', `${only} \\(`] : [];
const r = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', 'test/properties', ...filter], { stdio: 'inherit', env });
process.exit(r.status ?? 1);
