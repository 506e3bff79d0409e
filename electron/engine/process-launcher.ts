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
 * V8 flags for worker processes (measured in bench/RESULTS.md). An 8 MB young
 * generation (V8's default is 16 MB) keeps each worker about 25 MB smaller; 4 MB
 * saved more but cost about 8 % more worker CPU in garbage collection. A worker's
 * live heap is small (15-20 MB) but V8 let its old generation grow to 75 MB
 * between full collections; growing it by at most 50 % per collection keeps a
 * worker about 37 MB smaller for 1-3 % more CPU.
 */
export const WORKER_V8_FLAGS: readonly string[] = [
  '--max-semi-space-size=8',
  '--heap-growing-percent=50',
];
