import type { CliIO } from '../../server/src/cli/command';

/** A CliIO that records what a command prints, for in-process CLI tests. */
export function captureIO(cwd = process.cwd(), env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (t) => out.push(t), err: (t) => err.push(t), cwd, env, isTTY: false };
  return { io, out, err };
}
