/**
 * The one shape of every registry a user may add to (policies, queue disciplines, latency model kinds):
 * entries by name, a name registered once, and a lookup whose failure is an input error that lists the
 * names known. Shipped entries are registered by their own folders; plug-ins add theirs through the same
 * `register` (cli/plugins.ts), so a shipped name can never be shadowed.
 */
import { InputError } from './errors.ts';

export class Registry<T> {
  private readonly entries = new Map<string, { value: T; origin: string }>();

  /** `what` names an entry in messages: "policy", "queue discipline", "latency model kind". */
  constructor(private readonly what: string) {}

  /** Adds `value` under `name`; `origin` (a plug-in's file, or "built-in") is named when a name clashes. */
  register(name: string, value: T, origin = 'built-in'): void {
    if (typeof name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
      throw new InputError(origin, `${this.what} name ${JSON.stringify(name)} must be letters, digits, ".", "_" or "-"`);
    }
    const had = this.entries.get(name);
    if (had) throw new InputError(origin, `${this.what} "${name}" is already registered (by ${had.origin})`);
    this.entries.set(name, { value, origin });
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** The entry, or an InputError at `where` naming the known ones. */
  get(name: string, where: string): T {
    const e = this.entries.get(name);
    if (!e) throw new InputError(where, `unknown ${this.what} "${name}" (known: ${this.names().join(', ')})`);
    return e.value;
  }

  /** Names in registration order (shipped first, then plug-ins in load order). */
  names(): string[] {
    return [...this.entries.keys()];
  }

  originOf(name: string): string | undefined {
    return this.entries.get(name)?.origin;
  }
}
