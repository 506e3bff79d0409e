import { utilityProcess, type UtilityProcess } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  WORKER_V8_FLAGS,
  type ProcessLauncher,
  type WorkerProcess,
} from '../engine/process-launcher';
import type { MainToWorker } from '../../shared/worker-protocol';

/**
 * The worker bundle electron-vite writes beside the main bundle
 * (`out/main/worker.js`, a second input of the main build). This module is
 * bundled into the entry chunk `out/main/index.js`, so `import.meta.dirname`
 * is `out/main` (inside `app.asar` when packaged, which `utilityProcess` reads).
 */
export function defaultWorkerModulePath(): string {
  return join(import.meta.dirname, 'worker.js');
}

/**
 * The desktop app's `ProcessLauncher`: each worker is an Electron utility
 * process (a Node child that needs no Electron binary of its own and shows up
 * by name in `app.getAppMetrics()` and `child-process-gone`). The worker talks
 * back through `process.parentPort`; its stdout and stderr reach main's console,
 * line by line, prefixed with the worker's name.
 *
 * Only after `app` is ready: `utilityProcess.fork` throws before.
 */
export class UtilityProcessLauncher implements ProcessLauncher {
  private readonly modulePath: string;

  constructor(modulePath: string = defaultWorkerModulePath()) {
    if (!existsSync(modulePath)) {
      throw new Error(
        `Worker bundle not found at ${modulePath}; run \`electron-vite build\` first.`,
      );
    }
    this.modulePath = modulePath;
  }

  launch(name: string): WorkerProcess {
    const child = utilityProcess.fork(this.modulePath, [`--trawl-worker=${name}`], {
      serviceName: name,
      stdio: 'pipe',
      execArgv: [...WORKER_V8_FLAGS],
    });
    return new UtilityWorkerProcess(name, child);
  }
}

class UtilityWorkerProcess implements WorkerProcess {
  /** Set before exit listeners run: nothing may be posted to a dead child. */
  private exitCode: number | null | undefined = undefined;
  private readonly exitListeners: Array<(code: number | null) => void> = [];

  constructor(
    private readonly name: string,
    private readonly child: UtilityProcess,
  ) {
    forwardLines(child.stdout, (line) => console.log(`[${name}] ${line}`));
    forwardLines(child.stderr, (line) => console.error(`[${name}] ${line}`));
    // A fatal V8 error is followed by 'exit'; log it here, requeue there.
    child.on('error', (type, location) => {
      console.error(`[${name}] ${type} at ${location}`);
    });
    child.once('exit', (code) => {
      this.exitCode = code;
      const listeners = this.exitListeners.splice(0);
      // Listeners run on a later tick, never inside Electron's 'exit' dispatch:
      // touching the child from there has crashed main.
      setImmediate(() => {
        for (const listener of listeners) listener(code);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  send(message: MainToWorker): void {
    // A send to a worker that just died is not an error for the pool: its exit
    // listener requeues the work.
    if (this.exitCode !== undefined) return;
    try {
      this.child.postMessage(message);
    } catch (error) {
      console.error(`[${this.name}] postMessage failed:`, error);
    }
  }

  kill(): void {
    if (this.exitCode !== undefined) return;
    // The contract is "kill at once", but utilityProcess.kill() sends SIGTERM on
    // POSIX, which a wedged worker may never act on. SIGKILL by pid instead;
    // Electron still reaps the process and emits 'exit'. Windows has no
    // signals: kill() is TerminateProcess there, immediate already.
    const pid = this.child.pid;
    if (pid !== undefined && process.platform !== 'win32') {
      try {
        process.kill(pid, 'SIGKILL');
        return;
      } catch {
        // Already gone, or not ours to signal: fall back to Electron's kill.
      }
    }
    this.child.kill();
  }

  onMessage(listener: (message: unknown) => void): void {
    this.child.on('message', (message: unknown) => listener(message));
  }

  onExit(listener: (code: number | null) => void): void {
    const code = this.exitCode;
    if (code === undefined) {
      this.exitListeners.push(listener);
    } else {
      setImmediate(() => listener(code));
    }
  }
}

function forwardLines(stream: NodeJS.ReadableStream | null, log: (line: string) => void): void {
  if (stream === null) return;
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (line.length > 0) log(line);
  });
}
