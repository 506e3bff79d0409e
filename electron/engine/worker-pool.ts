import { availableParallelism } from 'node:os';
import { MAX_WORKERS } from '../../shared/limits';
import type { WorkerSnapshot, WorkerState } from '../../shared/progress';
import {
  workerToMainSchema,
  type CrawlTask,
  type HostWait,
  type PageResult,
  type RedirectVerdict,
  type WorkerConfig,
  type WorkerToMain,
} from '../../shared/worker-protocol';
import { missingCase } from '../../shared/missing-case';
import type { ProcessLauncher, WorkerProcess } from './process-launcher';
import { UserError } from './user-error';

export interface PoolEvents {
  /** A worker finished these tasks. */
  onResults(results: { task: CrawlTask; result: PageResult }[], workerPid: number): void;
  /** A worker is gone with these tasks unfinished; `died` is false when the pool killed it on purpose. */
  onTasksReturned(tasks: CrawlTask[], died: boolean, reason: string): void;
  /** Workers have free slots: offer them tasks. */
  onCapacity(): void;
  /** Workers keep failing before they start; the pool gave up. */
  onFatal(error: Error): void;
  /**
   * A worker asks whether task `taskId` may request the redirect target `url`
   * (answered when it may); `asked` tells whether the worker still runs it.
   */
  onRedirectQuery(taskId: number, url: string, asked: () => boolean): Promise<RedirectVerdict>;
  /** The host of `url` asked for no requests for a while (a 429, Retry-After). */
  onHostWait(wait: HostWait): void;
  onLog(level: 'debug' | 'info' | 'warn' | 'error', message: string): void;
}

export interface PoolOptions {
  size: number;
  config: WorkerConfig;
  /** A worker that sends no heartbeat for this long is killed and replaced. */
  stallMs: number;
}

interface Slot {
  name: string;
  process: WorkerProcess;
  pid: number | null;
  state: WorkerState;
  /** Set when the pool means the process to go away: no tasks, no replacement. */
  retiring: boolean;
  /** Until it runs out, a worker retired by a resize may be taken back (see RETIRE_GRACE_MS). */
  drainTimer: NodeJS.Timeout | null;
  /** Set when the pool killed it (stall, slow start, force stop): not the URL's fault if retiring. */
  killedBy: 'stall' | 'slow-start' | 'force' | null;
  inFlight: Map<number, CrawlTask>;
  /** Running a suspect task alone: no other task until it is done. */
  isolating: boolean;
  pagesDone: number;
  restarts: number;
  lastSeenAt: number;
  lastCpuMicros: number;
  lastCpuAt: number;
  cpuPercent: number;
  rssBytes: number;
}

const WINDOW_PER_CONCURRENCY = 2;

/**
 * How long a worker a resize shrank the pool away from waits, unfed, before
 * it is drained. A resize back within it (a size changed twice, a slider
 * dragged back and forth) takes the worker back: new processes started and
 * drained at each step cost a core for a second each, and slowed a crawl
 * resized every 300 ms eightfold.
 */
const RETIRE_GRACE_MS = 1000;

/** Consecutive workers that exit before becoming ready before the pool gives up. */
const MAX_FAILED_STARTS = 5;

/**
 * Workers starting at once. Started all together, 64 workers on 2 cores each
 * took longer than the heartbeat timeout to load, and were killed as hung
 * until the job failed; a few at a time, each is up in a second or two.
 */
const MAX_STARTING = 2 * availableParallelism();

/**
 * How long a worker may take to load before it is killed as hung. It sends
 * heartbeats only once loaded, and on a machine busy with other work loading
 * takes seconds: under the heartbeat timeout alone (`workerStallMs`, which
 * may be as short as half a second) workers were killed while loading until
 * the job failed (MAX_FAILED_STARTS).
 */
const START_TIMEOUT_MS = 30_000;

/**
 * Supervises N worker processes: hands each a bounded window of tasks,
 * watches heartbeats, replaces the dead and returns their unfinished tasks,
 * and grows or shrinks while a job runs.
 */
export class WorkerPool {
  private readonly slots = new Map<string, Slot>();
  private readonly exited = new Map<string, Promise<void>>();
  private nextSlotNumber = 1;
  /** Workers to start once fewer than MAX_STARTING are starting. */
  private readonly pendingStarts: { name: string; restarts: number }[] = [];
  private targetSize: number;
  private failedStarts = 0;
  private stopping = false;
  private readonly watchdog: NodeJS.Timeout;

  constructor(
    private readonly launcher: ProcessLauncher,
    private readonly options: PoolOptions,
    private readonly events: PoolEvents,
  ) {
    this.targetSize = clampSize(options.size);
    for (let i = 0; i < this.targetSize; i++) this.spawn();
    this.watchdog = setInterval(() => this.checkHeartbeats(), Math.min(1000, options.stallMs / 2));
  }

  get size(): number {
    return this.targetSize;
  }

  get inFlight(): number {
    let total = 0;
    for (const slot of this.slots.values()) total += slot.inFlight.size;
    return total;
  }

  /**
   * Offers tasks to every running worker with room, up to its window.
   * `next` returns undefined when none is due. A suspect task (it was on a
   * worker that died) runs alone on an idle worker, so a later death is
   * blamed on it and not on the URLs that happened to share its worker;
   * until a worker is idle it goes back through `putBack` and dispatch
   * pauses, so the suspect keeps its place.
   */
  dispatch(next: () => CrawlTask | undefined, putBack: (task: CrawlTask) => void): void {
    if (this.stopping) return;
    // Twice the worker's concurrency: a worker keeps a backlog to start on
    // while main, which shares the cores with the workers, waits its turn.
    const window = this.options.config.concurrency * WINDOW_PER_CONCURRENCY;
    const idleFirst = [...this.slots.values()].sort((a, b) => a.inFlight.size - b.inFlight.size);
    for (const slot of idleFirst) {
      if (slot.state !== 'running' || slot.retiring || slot.isolating) continue;
      const tasks: CrawlTask[] = [];
      let paused = false;
      while (slot.inFlight.size < window) {
        const task = next();
        if (!task) break;
        if (task.suspect && slot.inFlight.size > 0) {
          putBack(task);
          paused = true;
          break;
        }
        // Counted in flight at once, so `next` sees an exact in-flight total.
        slot.inFlight.set(task.id, task);
        tasks.push(task);
        if (task.suspect) {
          slot.isolating = true;
          break;
        }
      }
      if (tasks.length > 0) slot.process.send({ type: 'crawl', tasks });
      if (paused) return;
    }
  }

  /**
   * Grows or shrinks the pool; shrinking drains workers, so no task is lost
   * or repeated, and growing takes back those not drained yet first.
   */
  resize(size: number): void {
    const target = clampSize(size);
    this.targetSize = target;
    const active = [...this.slots.values()].filter((slot) => !slot.retiring);
    const planned = active.length + this.pendingStarts.length;
    if (planned < target) {
      const retired = [...this.slots.values()].filter((slot) => slot.drainTimer !== null);
      const back = retired.slice(0, target - planned);
      for (const slot of back) this.takeBack(slot);
      for (let i = planned + back.length; i < target; i++) this.spawn();
      this.events.onCapacity();
    } else {
      // Workers not started yet go first, then the least busy: they finish soonest.
      const unstarted = Math.min(this.pendingStarts.length, planned - target);
      this.pendingStarts.splice(this.pendingStarts.length - unstarted);
      const surplus = active
        .sort((a, b) => a.inFlight.size - b.inFlight.size)
        .slice(0, planned - unstarted - target);
      for (const slot of surplus) this.retire(slot, RETIRE_GRACE_MS);
    }
    this.events.onLog('info', `pool resized to ${target} workers`);
  }

  /** Graceful: workers finish what they hold, report it, and exit. */
  async drain(): Promise<void> {
    this.stopping = true;
    this.pendingStarts.length = 0;
    for (const slot of this.slots.values()) this.retire(slot);
    await Promise.all(this.exited.values());
    clearInterval(this.watchdog);
  }

  /** Force: kill every worker at once. Unfinished tasks come back through onTasksReturned. */
  async kill(): Promise<void> {
    this.stopping = true;
    this.pendingStarts.length = 0;
    for (const slot of this.slots.values()) {
      slot.retiring = true;
      slot.killedBy = 'force';
      slot.process.kill();
    }
    await Promise.all(this.exited.values());
    clearInterval(this.watchdog);
  }

  snapshot(): WorkerSnapshot[] {
    return [...this.slots.values()].map((slot) => ({
      name: slot.name,
      pid: slot.pid,
      state: slot.retiring && slot.state === 'running' ? 'draining' : slot.state,
      inFlight: slot.inFlight.size,
      pagesDone: slot.pagesDone,
      cpuPercent: slot.cpuPercent,
      rssBytes: slot.rssBytes,
      restarts: slot.restarts,
    }));
  }

  private spawn(name = `worker-${this.nextSlotNumber++}`, restarts = 0): void {
    this.pendingStarts.push({ name, restarts });
    this.startPending();
  }

  private startPending(): void {
    let starting = 0;
    for (const slot of this.slots.values()) if (slot.state === 'starting') starting++;
    for (; starting < MAX_STARTING && this.pendingStarts.length > 0; starting++) {
      const { name, restarts } = this.pendingStarts.shift()!;
      this.launch(name, restarts);
    }
  }

  private launch(name: string, restarts: number): void {
    const child = this.launcher.launch(name);
    const now = Date.now();
    const slot: Slot = {
      name,
      process: child,
      pid: child.pid ?? null,
      state: 'starting',
      retiring: false,
      drainTimer: null,
      killedBy: null,
      inFlight: new Map(),
      isolating: false,
      pagesDone: 0,
      restarts,
      lastSeenAt: now,
      lastCpuMicros: 0,
      lastCpuAt: now,
      cpuPercent: 0,
      rssBytes: 0,
    };
    this.slots.set(name, slot);
    let resolveExit!: () => void;
    this.exited.set(name, new Promise((resolve) => (resolveExit = resolve)));
    child.onMessage((raw) => this.handleMessage(slot, raw));
    child.onExit((code) => {
      this.handleExit(slot, code);
      resolveExit();
    });
    child.send({ type: 'configure', config: this.options.config });
  }

  /** No more tasks for the worker; it drains (or a starting one is killed) after `graceMs`. */
  private retire(slot: Slot, graceMs = 0): void {
    if (slot.retiring && slot.drainTimer === null) return;
    slot.retiring = true;
    if (slot.drainTimer) clearTimeout(slot.drainTimer);
    slot.drainTimer = null;
    if (graceMs > 0) slot.drainTimer = setTimeout(() => this.retire(slot), graceMs);
    else this.drainNow(slot);
  }

  /** A worker retired by a resize, not yet drained, back in the pool. */
  private takeBack(slot: Slot): void {
    clearTimeout(slot.drainTimer!);
    slot.drainTimer = null;
    slot.retiring = false;
  }

  private drainNow(slot: Slot): void {
    if (slot.state === 'starting') {
      slot.process.kill();
      return;
    }
    slot.process.send({ type: 'drain' });
  }

  private handleMessage(slot: Slot, raw: unknown): void {
    const parsed = workerToMainSchema.safeParse(raw);
    if (!parsed.success) {
      this.events.onLog(
        'error',
        `${slot.name} sent an invalid message; killing it: ${parsed.error.message}`,
      );
      slot.process.kill();
      return;
    }
    slot.lastSeenAt = Date.now();
    const message: WorkerToMain = parsed.data;
    switch (message.type) {
      case 'ready':
        slot.pid = message.pid;
        slot.state = 'running';
        this.failedStarts = 0;
        this.startPending();
        this.events.onCapacity();
        break;
      case 'results': {
        const finished: { task: CrawlTask; result: PageResult }[] = [];
        for (const result of message.results) {
          const task = slot.inFlight.get(result.taskId);
          // A result for a task the worker was not given is ignored.
          if (!task) continue;
          slot.inFlight.delete(result.taskId);
          finished.push({ task, result });
        }
        slot.pagesDone += finished.length;
        if (slot.inFlight.size === 0) slot.isolating = false;
        if (finished.length > 0) this.events.onResults(finished, slot.pid ?? 0);
        this.events.onCapacity();
        break;
      }
      case 'heartbeat': {
        const now = Date.now();
        const wallMicros = (now - slot.lastCpuAt) * 1000;
        if (wallMicros > 0 && slot.lastCpuMicros > 0) {
          slot.cpuPercent =
            Math.round(((message.cpuMicros - slot.lastCpuMicros) / wallMicros) * 1000) / 10;
        }
        slot.lastCpuMicros = message.cpuMicros;
        slot.lastCpuAt = now;
        slot.rssBytes = message.rssBytes;
        break;
      }
      case 'log':
        this.events.onLog(message.level, `${slot.name}: ${message.message}`);
        break;
      case 'returned': {
        // Not run, through no fault of theirs: back to the queue, no death counted.
        const tasks = message.taskIds.flatMap((id) => {
          const task = slot.inFlight.get(id);
          slot.inFlight.delete(id);
          return task ? [task] : [];
        });
        if (tasks.length > 0) this.events.onTasksReturned(tasks, false, 'given back unrun');
        this.events.onCapacity();
        break;
      }
      case 'redirect-query': {
        const { queryId, taskId, url } = message;
        // A verdict for a worker that has gone meanwhile is dropped by its launcher.
        void this.events
          .onRedirectQuery(taskId, url, () => slot.inFlight.has(taskId))
          .then((verdict) => slot.process.send({ type: 'redirect-verdict', queryId, verdict }));
        break;
      }
      case 'host-wait': {
        const { type: _type, ...wait } = message;
        this.events.onHostWait(wait);
        break;
      }
      default:
        missingCase(message);
    }
  }

  private handleExit(slot: Slot, code: number | null): void {
    if (slot.drainTimer) clearTimeout(slot.drainTimer);
    const wasStarted = slot.state !== 'starting';
    slot.state = 'dead';
    this.slots.delete(slot.name);
    this.exited.delete(slot.name);
    if (!wasStarted && !this.stopping) this.startPending();
    const unfinished = [...slot.inFlight.values()];
    slot.inFlight.clear();
    // Every exit with work in hand counts against its URLs, except a force stop.
    const died = slot.killedBy !== 'force';
    const reason =
      slot.killedBy === 'stall'
        ? 'stopped sending heartbeats'
        : slot.killedBy === 'slow-start'
          ? `did not start within ${START_TIMEOUT_MS / 1000} s`
          : code === null
            ? 'was killed'
            : `exited with code ${code}`;
    if (unfinished.length > 0) this.events.onTasksReturned(unfinished, died, reason);
    if (died && (unfinished.length > 0 || !slot.retiring)) {
      this.events.onLog(
        'warn',
        `${slot.name} (pid ${slot.pid}) ${reason}; ${unfinished.length} URLs requeued`,
      );
    }
    // Retired on purpose (resize, stop): no replacement.
    if (slot.retiring || this.stopping) return;
    if (!wasStarted && ++this.failedStarts >= MAX_FAILED_STARTS) {
      this.events.onFatal(
        new UserError(`workers fail to start (${MAX_FAILED_STARTS} in a row; last ${reason})`),
      );
      return;
    }
    this.spawn(slot.name, slot.restarts + 1);
  }

  private checkHeartbeats(): void {
    const now = Date.now();
    const startMs = Math.max(this.options.stallMs, START_TIMEOUT_MS);
    for (const slot of this.slots.values()) {
      if (slot.killedBy !== null) continue;
      const starting = slot.state === 'starting';
      if (now - slot.lastSeenAt > (starting ? startMs : this.options.stallMs)) {
        slot.killedBy = starting ? 'slow-start' : 'stall';
        slot.process.kill();
      }
    }
  }
}

function clampSize(size: number): number {
  if (!Number.isInteger(size) || size < 1 || size > MAX_WORKERS) {
    throw new UserError(`pool size must be a whole number from 1 to ${MAX_WORKERS}, got ${size}`);
  }
  return size;
}
