import { commands } from './commands';
import { ExitCode, UsageError, type CliIO } from './command';

const VERSION = '0.1.0';

function topLevelHelp(): string {
  const names = Object.keys(commands).sort();
  const width = Math.max(...names.map((n) => n.length));
  return [
    'usage: masklab <command> [options]',
    '',
    'commands:',
    ...names.map((n) => `  ${n.padEnd(width)}  ${commands[n].summary}`),
    '',
    "Run 'masklab <command> --help' for a command's options.",
  ].join('\n');
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(topLevelHelp());
    return name ? ExitCode.ok : ExitCode.invalid;
  }
  if (name === '--version' || name === '-v') {
    io.out(VERSION);
    return ExitCode.ok;
  }
  const entry = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!entry) {
    io.err(`masklab: unknown command '${name}'. Run 'masklab --help' for the list.`);
    return ExitCode.invalid;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.usage);
    return ExitCode.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`masklab ${name}: ${error.message}`);
      io.err(`Run 'masklab ${name} --help' for usage.`);
      return ExitCode.invalid;
    }
    const detail = error instanceof Error ? (io.env.MASKLAB_DEBUG ? error.stack ?? error.message : error.message) : String(error);
    io.err(`masklab ${name}: internal error: ${detail}`);
    if (!io.env.MASKLAB_DEBUG) io.err('Set MASKLAB_DEBUG=1 for a stack trace.');
    return ExitCode.failure;
  }
}

if (require.main === module) {
  const io: CliIO = {
    out: (t) => process.stdout.write(t + '\n'),
    err: (t) => process.stderr.write(t + '\n'),
    cwd: process.cwd(),
    env: process.env,
    isTTY: Boolean(process.stdout.isTTY),
    // \r and erase-line: the status line is redrawn in place and never scrolls the terminal.
    // Cut to the terminal's width: a wrapped status line could not be redrawn in place.
    status: process.stderr.isTTY ? (t) => process.stderr.write(`\r\x1b[2K${t.slice(0, Math.max(20, (process.stderr.columns || 80) - 1))}`) : undefined,
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(`masklab: internal error: ${String(error)}\n`);
      process.exitCode = ExitCode.failure;
    },
  );
}
