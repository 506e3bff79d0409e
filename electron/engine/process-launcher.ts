import type { MainToWorker } from '../../shared/worker-protocol';

/**
 * One of the two seams between the platform-neutral engine and its host:
 * how a worker process is started. The desktop app uses Electron's
 * `utilityProcess.fork`, headless hosts and tests `child_process.fork`.
 */
export interface WorkerProcess {
  readonly pid: number | undefined;
  send(message: MainToWorker): void;
  /** Kill at once (SIGKILL where the platform has it). */
  kill(): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once when the process is gone, however it went. */
  onExit(listener: (code: number | null) => void): void;
}

export interface ProcessLauncher {
  /** `name` identifies the worker in logs and process listings, e.g. `worker-2`. */
  launch(name: string): WorkerProcess;
}

/**
 * V8 flags for worker processes. An 8 MB young generation (V8's default is
 * 16 MB) keeps each worker about 25 MB smaller; 4 MB saved more memory but
 * cost about 8 % more worker CPU in garbage collection (bench/RESULTS.md).
 */
export const WORKER_V8_FLAGS: readonly string[] = ['--max-semi-space-size=8'];
