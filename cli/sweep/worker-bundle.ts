/**
 * The sweep workers' code as one JavaScript file. A worker thread cannot share the main thread's TypeScript
 * loader, and loading ~90 modules through tsx cost each worker ~0.5 s and ~0.8 s of CPU before its first
 * run; a bundle made by esbuild loads in about a third of that. The packages go into it too (resolving and
 * loading a dozen of them one by one took a third of a worker's start-up); only ws, for HIL runs, stays
 * outside and still resolves to the project's node_modules. The bundle is built from the sources once per
 * process (~0.1 s on the main thread, when the first pool starts), so it is never staler than the code the
 * process itself runs, and stored under a content-hash name in node_modules/.cache.
 *
 * Modules locate their data files (schemas, surfaces, scenarios) from `import.meta.url`; in a bundle that
 * would be the bundle's own URL, so each source's `import.meta.url` is replaced by that source's file URL.
 * If the bundle cannot be built or written (a read-only install, say), workers load the sources through
 * tsx as before (worker.mjs).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';
import { writeFileAtomic } from '../../base/atomic-write.ts';

const SOURCE = fileURLToPath(new URL('./worker.ts', import.meta.url));
const TSX_ENTRY = new URL('./worker.mjs', import.meta.url).href;
const CACHE_DIR = fileURLToPath(new URL('../../node_modules/.cache/elastitwin/', import.meta.url));

/** esbuild plugin: every TypeScript source keeps its own location as `import.meta.url`. */
const ownUrl: Plugin = {
  name: 'own-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (a) => ({
      loader: 'ts',
      contents: readFileSync(a.path, 'utf8').replaceAll('import.meta.url', JSON.stringify(pathToFileURL(a.path).href)),
    }));
  },
};

/** Builds the bundle (or finds it already written) and returns its file URL. */
export async function buildWorkerBundle(): Promise<string> {
  const result = await build({
    entryPoints: [SOURCE],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // ws (imported by the HIL controller) and esbuild (which bundles plug-ins, and runs a binary of its own
    // package) resolve from node_modules like any package import
    external: ['ws', 'esbuild'],
    // bundled CommonJS packages require Node's built-ins: give the bundle a require of its own (no source
    // may declare a top-level `require` of its own then: tokenize.ts makes its createRequire inside a function)
    banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
    write: false,
    logLevel: 'silent',
    plugins: [ownUrl],
  });
  const code = result.outputFiles[0]!.contents;
  const file = path.join(CACHE_DIR, `sweep-worker-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`);
  if (existsSync(file)) {
    // in use again: keep it clear of removeOldBundles, which goes by modification time
    const now = new Date();
    utimesSync(file, now, now);
  } else {
    mkdirSync(CACHE_DIR, { recursive: true });
    // concurrent sweeps (or threads) may write the same name: each writes its own temporary file and renames it
    writeFileAtomic(file, code);
    removeOldBundles(file);
  }
  return pathToFileURL(file).href;
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * Every source change makes a new bundle; older ones are removed once a day old (not at once: a sweep still
 * running on one may start a replacement worker from it).
 */
function removeOldBundles(keep: string): void {
  for (const name of readdirSync(CACHE_DIR)) {
    const f = path.join(CACHE_DIR, name);
    if (f === keep || !/^sweep-worker-.*\.mjs(\..*\.tmp)?$/.test(name)) continue;
    try {
      if (Date.now() - statSync(f).mtimeMs > DAY_MS) rmSync(f, { force: true });
    } catch {
      // another sweep removed it first
    }
  }
}

/** The worker entry to use: the bundle, or the TypeScript sources through tsx when it cannot be made. */
export function workerEntry(): Promise<string> {
  // once per process: its own sources are loaded once too, so a later pool (goodput rounds, bench repeats)
  // would only rebuild the same bundle
  entry ??= buildWorkerBundle().catch(() => TSX_ENTRY);
  return entry;
}

let entry: Promise<string> | undefined;
