// Small, strict flag parsing shared by the engine's sub-commands (`--name value` or `--name=value`).

import { UsageError } from './command';

export interface ParsedArgs {
  /** Flag values by name (without dashes); boolean flags map to 'true'. */
  flags: Map<string, string>;
  positionals: string[];
  /** Every value of each repeatable flag, in order (e.g. several `--set`). */
  lists: Map<string, string[]>;
}

/**
 * `valued` flags take a value, `booleans` take none. Unknown flags are a UsageError naming the
 * closest valid flag; `--` ends flag parsing (so a text may start with a dash).
 */
export function parseArgs(
  args: readonly string[],
  valued: readonly string[],
  booleans: readonly string[],
  repeatable: readonly string[] = [],
): ParsedArgs {
  const flags = new Map<string, string>();
  const lists = new Map<string, string[]>();
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    if (booleans.includes(name)) {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`);
      flags.set(name, 'true');
    } else if (valued.includes(name) || repeatable.includes(name)) {
      const value = eq !== -1 ? arg.slice(eq + 1) : args[++i];
      if (value === undefined || value === '') throw new UsageError(`--${name} needs a value`);
      if (repeatable.includes(name)) lists.set(name, [...(lists.get(name) ?? []), value]);
      else flags.set(name, value);
    } else {
      const known = [...valued, ...repeatable, ...booleans].map((f) => `--${f}`);
      throw new UsageError(`unknown option --${name}; known options: ${known.join(', ')}`);
    }
  }
  return { flags, positionals, lists };
}
