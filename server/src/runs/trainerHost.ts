// The trainer process's side of the protocol: receives commands from the run manager over the IPC
// channel, checks each one (a malformed command is logged and ignored, never acted on), runs one
// HostedRun, and turns SIGTERM, SIGINT and a lost manager into "checkpoint, then stop".
// training/trainerProcess.ts wires it to the real training core; tests wire it to a fake one.

import { readTrainerCommand } from '../../../schemas/src/trainerMessageSchema';
import type { TrainerMessage } from '../../../schemas/src/trainerMessages';
import { HostedRun, TRAINER_EXIT } from './hostedRun';
import type { TrainFunction } from './trainingContract';

export interface TrainerHostOptions {
  loadTrainer: () => Promise<TrainFunction>;
  engineVersion?: () => string | null;
}

/** Serves one run on this process's IPC channel, then exits. */
export function serveTrainer(options: TrainerHostOptions): void {
  if (!process.send) {
    process.stderr.write('masklab trainer: this process must be started by the run manager (child_process.fork with an IPC channel)\n');
    process.exit(2);
  }
  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} [trainer ${process.pid}] ${line}\n`);
  let connected = true;
  // Resolves once everything sent so far has been written to the channel (checked before exiting).
  let delivered: Promise<void> = Promise.resolve();
  const send = (message: TrainerMessage) => {
    if (!connected || !process.send) return;
    try {
      const written = new Promise<void>((resolve) => process.send?.(message, undefined, {}, () => resolve()));
      delivered = delivered.then(() => written);
    } catch (error) {
      log(`cannot send a message to the run manager: ${(error as Error).message}`);
    }
  };
  let run: HostedRun | undefined;

  process.on('message', (value: unknown) => {
    const command = readTrainerCommand(value);
    if (!command.ok) {
      log(`ignored a malformed command from the run manager: ${command.problem}`);
      return;
    }
    const c = command.value;
    if (c.type === 'cancel') {
      if (run) {
        log('cancel requested: stopping at the next step after a checkpoint');
        run.stop('cancel');
      }
      return;
    }
    if (run) {
      log(`ignored a second start command (this process already trains ${run.folder.dir})`);
      return;
    }
    run = new HostedRun(c, { send, log, engineVersion: options.engineVersion ?? (() => null) });
    const current = run;
    void current.execute(options.loadTrainer).then((code) => exitAfter(delivered, code));
  });

  const stopOn = (signal: 'SIGTERM' | 'SIGINT') =>
    process.on(signal, () => {
      if (!run) process.exit(signal === 'SIGTERM' ? TRAINER_EXIT.sigterm : TRAINER_EXIT.sigint);
      log(`${signal} received: checkpointing, then stopping`);
      run.stop(signal);
    });
  stopOn('SIGTERM');
  stopOn('SIGINT');

  process.on('disconnect', () => {
    connected = false;
    if (!run) process.exit(TRAINER_EXIT.done);
    log('the run manager went away: checkpointing, then stopping');
    run.stop('disconnect');
  });
}

/** Exits once the messages already sent are written (or after 2 s, should the channel be stuck). */
function exitAfter(delivered: Promise<void>, code: number): void {
  setTimeout(() => process.exit(code), 2000).unref();
  void delivered.then(() => process.exit(code));
}
