// Starts code-server (VS Code for the browser) on a free loopback port and stops exactly the
// processes it started: it runs as the leader of its own process group, and stopping signals
// that group by id (code-server, its extension hosts, their language servers).

import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';

export interface RunningCodeServer {
  port: number;
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  binary: string;
  userDataDir: string;
  extensionsDir: string;
  folder: string;
  /** code-server's own output goes here (for diagnosing a failed run). */
  logFile: string;
  /** code-server writes its config file (a generated password) here instead of ~/.config. */
  configFile: string;
  /** Added to the environment of code-server and so of its extension hosts. */
  env?: Record<string, string>;
  startTimeoutMs?: number;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error('could not find a free port'))));
    });
  });
}

function healthy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/healthz', timeout: 2_000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('error', () => resolve(false));
    request.on('timeout', () => {
      request.destroy();
      resolve(false);
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startCodeServer(options: CodeServerOptions): Promise<RunningCodeServer> {
  const port = await freePort();
  const log = createWriteStream(options.logFile);
  const child = spawn(
    options.binary,
    [
      '--config', options.configFile,
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--user-data-dir', options.userDataDir,
      '--extensions-dir', options.extensionsDir,
      options.folder,
    ],
    { env: { ...process.env, ...options.env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${options.binary}`);

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-pid, signal);
      } catch {
        // The group is already gone.
      }
    };
    signalGroup('SIGTERM');
    const timer = setTimeout(() => signalGroup('SIGKILL'), 5_000);
    await exited(child);
    clearTimeout(timer);
    // Extension hosts and language servers left in the group after code-server itself exited.
    signalGroup('SIGKILL');
    log.end();
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  while (!(await healthy(port))) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`code-server exited with code ${child.exitCode} before answering; see ${options.logFile}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer on port ${port} within ${options.startTimeoutMs ?? 30_000} ms; see ${options.logFile}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { port, url: `http://127.0.0.1:${port}`, pid, stop };
}
