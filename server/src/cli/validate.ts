import { FileSystemModelKnowledge } from '../checkpoint/modelKnowledge';
import { ExitCode, UsageError, type CliCommand } from './command';
import { parseArgs } from './cliArgs';
import { analyseFile, diagnosticLine } from './sourceFile';

export const validateCommand: CliCommand = {
  name: 'validate',
  summary: 'check experiment files against their checkpoints and data',
  usage: [
    'usage: masklab validate FILE…',
    '',
    'Prints one line per problem to stdout: path:line:col: severity: message',
    '(line and column 1-based, the column in UTF-16 code units; severity error, warning or info).',
    'Exit status: 0 no errors, 2 errors found, 1 internal failure.',
  ].join('\n'),
  async run(args, io) {
    const { positionals } = parseArgs(args, [], []);
    if (positionals.length === 0) throw new UsageError('give at least one .masklab file');
    const models = new FileSystemModelKnowledge();
    let errors = 0;
    let warnings = 0;
    for (const shownPath of positionals) {
      const file = analyseFile(shownPath, io.cwd, models);
      if ('problem' in file) {
        io.out(`${shownPath}:1:1: error: cannot read the file: ${file.problem}`);
        errors++;
        continue;
      }
      for (const d of file.analysis.diagnostics) {
        io.out(diagnosticLine(file, d));
        if (d.severity === 'error') errors++;
        else if (d.severity === 'warning') warnings++;
      }
    }
    const files = positionals.length === 1 ? '1 file' : `${positionals.length} files`;
    io.err(errors + warnings === 0 ? `masklab: ${files} checked, no problems` : `masklab: ${files} checked: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`);
    return errors > 0 ? ExitCode.invalid : ExitCode.ok;
  },
};

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
