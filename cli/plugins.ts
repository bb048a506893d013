/**
 * Loading plug-ins: ES modules (.ts, .mts, .js, .mjs) from anywhere, whose default export receives the
 * registration API (sim/plugin-api.ts). A file is bundled with esbuild into one ES module first, so a
 * TypeScript file outside the repository loads the same as one inside (Node alone would treat a `.ts` file
 * with no `"type": "module"` package beside it as CommonJS, and fail), and its own relative imports and
 * packages come with it. Each file is loaded once per process; sweep and goodput workers load the same list.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { writeFileAtomic } from '../base/atomic-write.ts';
import { InputError } from '../base/errors.ts';
import { createPluginApi } from '../sim/plugin-api.ts';

const EXTENSIONS = new Set(['.ts', '.mts', '.js', '.mjs']);
const CACHE_DIR = fileURLToPath(new URL('../node_modules/.cache/elastitwin/plugins/', import.meta.url));

/**
 * The bundle's own URL expression, spelled in two pieces: the sweep-worker bundler rewrites that expression
 * in every source it bundles (this file included) to the source's location, which must not happen here.
 */
const BUNDLE_URL = ['import', 'meta', 'url'].join('.');

/** Files already loaded in this process (by real path): a second request is a no-op, not a clash. */
const loaded = new Set<string>();

/** The absolute, real path of a plug-in named at `where`, or an InputError saying why it is not one. */
export function resolvePlugin(file: string, baseDir: string, where: string): string {
  const full = path.resolve(baseDir, file);
  if (!existsSync(full)) throw new InputError(where, `plug-in file not found: ${full}`);
  if (statSync(full).isDirectory()) throw new InputError(where, `plug-in is a folder, not a file: ${full}`);
  if (!EXTENSIONS.has(path.extname(full))) {
    throw new InputError(where, `plug-in must be an ES module ending in .ts, .mts, .js or .mjs: ${full}`);
  }
  return realpathSync(full);
}

/** One ES module with the plug-in and everything it imports (Node's built-ins stay imports). */
async function bundle(file: string): Promise<string> {
  try {
    const out = await build({
      entryPoints: [file], bundle: true, platform: 'node', format: 'esm', target: 'node20', write: false,
      logLevel: 'silent', sourcemap: 'inline',
      banner: { js: `import { createRequire as __pluginRequire } from 'node:module'; const require = __pluginRequire(${BUNDLE_URL});` },
    });
    return out.outputFiles[0]!.text;
  } catch (e) {
    const errors = (e as { errors?: Array<{ text: string; location?: { file: string; line: number; column: number } | null }> }).errors;
    const first = errors?.[0];
    if (first) {
      const at = first.location ? `${first.location.file}:${first.location.line}:${first.location.column + 1}: ` : '';
      throw new InputError(file, `plug-in does not compile: ${at}${first.text}`);
    }
    throw new InputError(file, `plug-in does not compile: ${(e as Error).message}`);
  }
}

/** Loads one plug-in file (absolute, resolved) and runs its registration once. */
async function loadOne(file: string): Promise<void> {
  if (loaded.has(file)) return;
  const code = await bundle(file);
  mkdirSync(CACHE_DIR, { recursive: true });
  const cached = path.join(CACHE_DIR, `${createHash('sha256').update(file).update('\0').update(code).digest('hex').slice(0, 20)}.mjs`);
  if (!existsSync(cached)) writeFileAtomic(cached, code);
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(cached).href)) as { default?: unknown };
  } catch (e) {
    throw new InputError(file, `plug-in failed while loading: ${(e as Error).message ?? String(e)}`);
  }
  if (typeof mod.default !== 'function') {
    throw new InputError(file, 'a plug-in\'s default export must be a function receiving the API: export default (api) => { api.registerPolicy(…) }');
  }
  const { api, registered } = createPluginApi(file);
  loaded.add(file);
  try {
    await (mod.default as (a: typeof api) => unknown)(api);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(file, `plug-in threw while registering: ${(e as Error).message ?? String(e)}`);
  }
  if (registered() === 0) throw new InputError(file, 'plug-in registered nothing (no policy, queue discipline or latency model kind)');
}

/** Loads plug-ins in order (absolute paths, as resolvePlugin gives them). */
export async function loadPlugins(files: readonly string[]): Promise<void> {
  for (const f of files) await loadOne(f);
}

/** A scenario's own plug-ins (`plugins`, relative to its file), resolved; errors name `/plugins/i`. */
export function pluginsOfScenario(loaded: { scenario: { plugins?: string[] }; baseDir: string; file: string }): string[] {
  return (loaded.scenario.plugins ?? []).map((p, i) => resolvePlugin(p, loaded.baseDir, `${loaded.file}: /plugins/${i}`));
}

/** `--plugin FILE` (repeatable) resolved against the working folder. */
export function pluginsOfFlags(files: readonly string[] | undefined): string[] {
  return (files ?? []).map((f) => resolvePlugin(f, process.cwd(), '--plugin'));
}

/** commander's collector for a repeatable `--plugin`. */
export const collectPlugin = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Every distinct file of the lists, in first-seen order. */
export const unionOf = (...lists: ReadonlyArray<readonly string[]>): string[] => [...new Set(lists.flat())];
