import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { MainToWorker } from '../../shared/worker-protocol';
import { WORKER_V8_FLAGS, type ProcessLauncher, type WorkerProcess } from './process-launcher';

const STDERR = 2;

/**
 * Where the worker comes from: a bundle named by the host in
 * TRAWL_WORKER_MODULE (the `trawl` command builds one), else the
 * TypeScript entry through tsx (tests that run the engine in-process).
 */
export function defaultWorkerEntry(): { modulePath: string; execArgv: string[] } {
  const bundled = process.env.TRAWL_WORKER_MODULE;
  if (bundled) return { modulePath: bundled, execArgv: [] };
  return {
    modulePath: fileURLToPath(new URL('../worker/index.ts', import.meta.url)),
    execArgv: ['--import', 'tsx'],
  };
}

export class ChildProcessLauncher implements ProcessLauncher {
  private readonly entry: { modulePath: string; execArgv: string[] };

  constructor(entry?: { modulePath: string; execArgv: string[] }) {
    this.entry = entry ?? defaultWorkerEntry();
  }

  launch(name: string): WorkerProcess {
    const child = fork(this.entry.modulePath, [`--trawl-worker=${name}`], {
      execArgv: [...WORKER_V8_FLAGS, ...this.entry.execArgv],
      // Workers report through messages; what they print goes to the host's stderr,
      // never its stdout, which carries `--json` and exports.
      stdio: ['ignore', STDERR, 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    // A send to a worker that just died is not an error for the pool: its exit
    // handler requeues the work.
    child.on('error', () => undefined);
    return {
      get pid() {
        return child.pid;
      },
      send(message: MainToWorker) {
        if (child.connected) child.send(message);
      },
      kill() {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      },
      onMessage(listener) {
        child.on('message', listener);
      },
      onExit(listener) {
        child.once('exit', (code) => listener(code));
      },
    };
  }
}
