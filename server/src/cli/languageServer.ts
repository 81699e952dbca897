import { UsageError, type CliCommand } from './command';

export const languageServerCommand: CliCommand = {
  name: 'language-server',
  summary: 'run the language server for editors (--stdio)',
  usage: [
    'usage: masklab language-server --stdio',
    '',
    'Speaks the Language Server Protocol on stdin/stdout until the client exits.',
    'VS Code starts the same server itself over IPC; use this for other editors.',
  ].join('\n'),
  async run(args) {
    if (!args.includes('--stdio') && !args.some((a) => a === '--node-ipc' || a.startsWith('--socket='))) {
      throw new UsageError('choose a transport: --stdio');
    }
    const { startLanguageServer } = await import('../lsp/server.js');
    startLanguageServer();
    // The connection keeps the process alive and exits it on the client's `exit` notification.
    return new Promise<number>(() => undefined);
  },
};
