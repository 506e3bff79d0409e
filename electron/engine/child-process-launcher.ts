import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { MainToWorker } from '../../shared/worker-protocol';
import { WORKER_V8_FLAGS, type ProcessLauncher, type WorkerProcess } from './process-launcher';

/**
 * The built worker bundle if there is one, otherwise the TypeScript entry run
 * through tsx (tests, `npx trawl` from a checkout).
 */
function defaultWorkerEntry(): { modulePath: string; execArgv: string[] } {
  const built = fileURLToPath(new URL('../../out/main/worker.js', import.meta.url));
  if (existsSync(built) && import.meta.url.includes('/out/')) {
    return { modulePath: built, execArgv: [] };
  }
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
      // Workers report through messages; their stdio still reaches the host's stderr.
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
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
