import type { MainToWorker, WorkerToMain } from '../../shared/worker-protocol';

/**
 * The worker's side of the channel to main. Under Electron's utilityProcess
 * it is `process.parentPort`; under child_process.fork it is `process.send`.
 */
export interface ParentPort {
  post(message: WorkerToMain): void;
  /** Post, then call back once the message has left this process. */
  postThen(message: WorkerToMain, done: () => void): void;
  onMessage(listener: (message: MainToWorker) => void): void;
}

interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

export function connectToParent(): ParentPort {
  const electronPort = (process as { parentPort?: ElectronParentPort }).parentPort;
  if (electronPort) {
    return {
      post: (message) => electronPort.postMessage(message),
      // utilityProcess has no delivery callback; a short grace lets the port flush.
      postThen: (message, done) => {
        electronPort.postMessage(message);
        setTimeout(done, 50);
      },
      onMessage: (listener) =>
        electronPort.on('message', (event) => listener(event.data as MainToWorker)),
    };
  }
  const send = process.send?.bind(process);
  if (!send) throw new Error('worker started without a channel to its parent');
  // Main was killed (SIGKILL) while this message was on its way: the channel is gone, and
  // so is this worker's reason to run. Without a callback the EPIPE was thrown, uncaught,
  // its stack trace printed on the terminal main shared.
  const exitIfBroken = (error: Error | null) => {
    if (error) process.exit(0);
  };
  return {
    post: (message) => {
      if (process.connected) send(message, undefined, {}, exitIfBroken);
    },
    postThen: (message, done) => {
      if (process.connected) send(message, undefined, {}, () => done());
      else done();
    },
    onMessage: (listener) => process.on('message', (message) => listener(message as MainToWorker)),
  };
}

/**
 * A worker must never outlive main, even when main is killed with SIGKILL
 * and cannot say goodbye: exit as soon as the IPC channel closes or the
 * process is re-parented.
 */
export function exitWithParent(pollMs = 500): void {
  const parentPid = process.ppid;
  process.on('disconnect', () => process.exit(0));
  setInterval(() => {
    if (process.ppid !== parentPid) process.exit(0);
  }, pollMs).unref();
}
