import { parseSetArgument, type Override } from '../analysis/overrides';
import { FileSystemModelKnowledge } from '../checkpoint/modelKnowledge';
import { resolveTarget } from '../features/resolvedConfig';
import { ExitCode, UsageError, type CliCommand } from './command';
import { chooseTarget } from './chooseTarget';
import { parseArgs } from './cliArgs';
import { analyseFile, diagnosticLine } from './sourceFile';

export const configCommand: CliCommand = {
  name: 'config',
  summary: 'print the resolved config of an experiment or sweep cell as JSON',
  usage: [
    'usage: masklab config FILE [--experiment NAME] [--index N] [--set key=value…]',
    '',
    'Prints the resolved experiment (every default explicit; schemas/experiment.schema.json) to stdout.',
    '  --experiment NAME  the experiment or sweep (needed when the file declares several)',
    '  --index N          the sweep cell, 0-based, first key varying slowest',
    '  --set key=value    override one key, in the language\'s own syntax (e.g. --set method.lr=3e-4); repeatable',
    'Exit status: 0 printed, 2 the experiment has errors or the options are wrong, 1 internal failure.',
  ].join('\n'),
  async run(args, io) {
    const { flags, positionals, lists } = parseArgs(args, ['experiment', 'index'], [], ['set']);
    if (positionals.length !== 1) throw new UsageError('give exactly one .masklab file');
    const overrides: Override[] = (lists.get('set') ?? []).map((text) => {
      const parsed = parseSetArgument(text);
      if ('problem' in parsed) throw new UsageError(parsed.problem);
      return parsed;
    });
    const file = analyseFile(positionals[0], io.cwd, new FileSystemModelKnowledge());
    if ('problem' in file) {
      io.err(`${file.shownPath}: cannot read the file: ${file.problem}`);
      return ExitCode.invalid;
    }
    const target = chooseTarget(file.analysis, flags.get('experiment'), flags.get('index'));
    const result = resolveTarget(file.analysis, { ...target, overrides });
    if ('errors' in result) {
      for (const e of result.errors) {
        io.err(e.span ? diagnosticLine(file, { span: e.span, severity: 'error', message: e.message }) : `${file.shownPath}: error: ${e.message}`);
      }
      return ExitCode.invalid;
    }
    for (const w of result.warnings) {
      io.err(w.span ? diagnosticLine(file, { span: w.span, severity: 'warning', message: w.message }) : `${file.shownPath}: warning: ${w.message}`);
    }
    io.out(JSON.stringify(result.config, null, 2));
    return ExitCode.ok;
  },
};
