import type { CrawlTask } from '../../shared/worker-protocol';
import { hostOf, type HostLimits } from './host-limits';
import { MinHeap } from './min-heap';
import type { RobotsBlocked, RobotsVerdict } from './robots';

/** Where a host's queue is: it is in at most one of the ready list, the sleep heap, or none. */
type HostQueueState =
  | 'idle' // no tasks
  | 'ready' // in the ready list: may start now
  | 'full' // every slot in flight: waits for a release
  | 'sleeping' // in the heap: waits for its delay or the job's rate
  | 'robots' // waits for its robots.txt
  | 'taken'; // being served by next()

interface HostQueue {
  host: string;
  /** Breadth-first order, as the frontier gave them. */
  tasks: CrawlTask[];
  state: HostQueueState;
  wakeAt: number;
}

export type RobotsGate = (url: string) => RobotsVerdict;

/** A redirect hop of a request in flight, waiting until its target may be requested. */
interface HopWaiter {
  taskId: number;
  host: string;
  granted: () => void;
}

export interface HostSchedulerOptions {
  /** The next URL in breadth-first order, or undefined when none is queued now. */
  take: () => CrawlTask | undefined;
  limits: HostLimits;
  /** robots.txt's verdict on a URL; 'pending' while its file is being fetched. */
  robots: RobotsGate | null;
  onBlocked: (task: CrawlTask, why: RobotsBlocked) => void;
  /** A delay ran out: tasks can be dispatched again. */
  onWake: () => void;
  /** Tasks held here at most; past it, no more are taken from the frontier. */
  maxBuffered: number;
}

/**
 * Chooses the next URL to dispatch under the politeness limits. URLs taken
 * from the frontier wait in one queue per host; a host whose slots are all
 * in flight, whose delay is running, or whose robots.txt is on its way
 * waits while other hosts go ahead. Each call is O(1) amortized (plus
 * O(log hosts) for hosts with a delay): no scan over waiting URLs. When only
 * delays hold work back, one timer is armed for the earliest of them.
 *
 * A request keeps its host's slot until it finishes, redirects included:
 * each redirect hop waits here for the limits of the host it goes to (its
 * delay and the job's rate; to another host, a free slot there too, which
 * the request then takes, freeing the old one).
 */
export class HostScheduler {
  private readonly queues = new Map<string, HostQueue>();
  private readonly ready: HostQueue[] = [];
  private readonly sleeping = new MinHeap<{ at: number; queue: HostQueue }>((entry) => entry.at);
  private buffered = 0;
  /** The tasks waiting in the host queues, by URL (see withdraw). */
  private readonly waiting = new Map<string, CrawlTask>();
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Infinity;
  /** Tasks in flight and the host whose slot each holds (another one after a redirect). */
  private readonly inFlight = new Map<number, string>();
  /** Redirect hops waiting for their target host, in arrival order (a few at most). */
  private hops: HopWaiter[] = [];

  constructor(private readonly options: HostSchedulerOptions) {
    options.limits.onRelease((host) => this.released(host));
  }

  /** URLs taken from the frontier and not yet dispatched. */
  get size(): number {
    return this.buffered;
  }

  /** The next task that may start now, counted as started; undefined if none may. */
  next(): CrawlTask | undefined {
    const { limits, robots } = this.options;
    const now = Date.now();
    this.wake(now);
    this.serveHops(now);
    for (;;) {
      if (this.ready.length > 0) {
        const rateWait = limits.rateWaitMs(now);
        if (rateWait > 0) {
          this.arm(now + rateWait);
          return undefined;
        }
      }
      const queue = this.ready.shift();
      if (!queue) {
        if (this.pull(now)) continue;
        return undefined;
      }
      // A redirect hop granted since the queue was placed may have started the
      // host's delay again or taken its last slot: then the queue waits.
      if (limits.waitMs(queue.host, now) > 0) {
        this.place(queue, now);
        continue;
      }
      queue.state = 'taken';
      const task = queue.tasks[0]!;
      const verdict = robots ? robots(task.url) : 'allowed';
      if (verdict === 'pending') {
        queue.state = 'robots';
        continue;
      }
      queue.tasks.shift();
      this.buffered--;
      this.waiting.delete(task.url);
      if (verdict !== 'allowed') {
        this.options.onBlocked(task, verdict);
      } else {
        limits.start(queue.host, now);
        this.inFlight.set(task.id, queue.host);
      }
      this.place(queue, now);
      if (verdict === 'allowed') return task;
    }
  }

  /** A task next() returned that was not dispatched: first in its host's line again. */
  putBack(task: CrawlTask): void {
    const queue = this.queueOf(hostOf(task.url));
    this.options.limits.unstart(queue.host);
    this.inFlight.delete(task.id);
    queue.tasks.unshift(task);
    this.buffered++;
    this.waiting.set(task.url, task);
    if (queue.state === 'idle' || queue.state === 'full') this.place(queue, Date.now(), true);
  }

  /** Tasks that went out and came back unfinished (their worker died): first in line. */
  requeue(tasks: readonly CrawlTask[]): void {
    const now = Date.now();
    for (let index = tasks.length - 1; index >= 0; index--) {
      const task = tasks[index]!;
      const queue = this.queueOf(hostOf(task.url));
      queue.tasks.unshift(task);
      this.buffered++;
      this.waiting.set(task.url, task);
      if (queue.state === 'idle') this.place(queue, now, true);
    }
  }

  /**
   * Takes the task for `url` out of its host's queue, if it waits there (not
   * dispatched): a redirect's response holds its page (see
   * Frontier.withdraw). It stays counted as taken from the frontier.
   */
  withdraw(url: string): CrawlTask | undefined {
    const task = this.waiting.get(url);
    if (task === undefined) return undefined;
    this.waiting.delete(url);
    const queue = this.queues.get(hostOf(url))!;
    queue.tasks.splice(queue.tasks.indexOf(task), 1);
    this.buffered--;
    if (queue.tasks.length === 0) {
      // Out of the ready list; a sleeping queue's heap entry goes stale once it is idle.
      if (queue.state === 'ready') this.ready.splice(this.ready.indexOf(queue), 1);
      this.place(queue, Date.now());
    }
    return task;
  }

  /** A task finished or came back: the host whose slot it held has a free one. */
  finished(task: CrawlTask): void {
    const host = this.inFlight.get(task.id);
    if (host === undefined) return;
    this.inFlight.delete(task.id);
    this.options.limits.release(host, Date.now());
  }

  /**
   * Task `taskId` (in flight) was redirected to `url`: `granted` is called
   * once it may request it, the start counted. A hop of a task that ended
   * meanwhile (its worker died) is dropped.
   */
  hop(taskId: number, url: string, granted: () => void): void {
    this.hops.push({ taskId, host: hostOf(url), granted });
    this.serveHops(Date.now());
  }

  /** Grants the waiting hops the limits allow now; arms the timer for delayed ones. */
  private serveHops(now: number): void {
    if (this.hops.length === 0) return;
    const { limits } = this.options;
    // Taken out first: a release below calls back in here (released()).
    const hops = this.hops;
    this.hops = [];
    const waiting: HopWaiter[] = [];
    for (const hop of hops) {
      const holds = this.inFlight.get(hop.taskId);
      if (holds === undefined) continue;
      const moving = holds !== hop.host;
      const wait = moving ? limits.waitMs(hop.host, now) : limits.hopWaitMs(hop.host, now);
      if (wait > 0) {
        waiting.push(hop);
        if (wait !== Infinity) this.arm(now + wait);
        continue;
      }
      if (moving) {
        limits.start(hop.host, now);
        this.inFlight.set(hop.taskId, hop.host);
        limits.release(holds, now);
      } else limits.restart(hop.host, now);
      hop.granted();
    }
    this.hops = [...waiting, ...this.hops];
  }

  /** robots.txt of `host` is known now: its queue may go on. */
  robotsLoaded(host: string): void {
    const queue = this.queues.get(host);
    if (queue?.state === 'robots') this.place(queue, Date.now());
  }

  /** Every task held here, in order, emptying the scheduler (on stop). */
  drain(): CrawlTask[] {
    const tasks = [...this.queues.values()].flatMap((queue) => queue.tasks);
    this.queues.clear();
    this.ready.length = 0;
    this.buffered = 0;
    this.waiting.clear();
    this.disarm();
    return tasks;
  }

  dispose(): void {
    this.disarm();
  }

  /** Takes one URL from the frontier into its host's queue; false if none was taken. */
  private pull(now: number): boolean {
    if (this.buffered >= this.options.maxBuffered) return false;
    const task = this.options.take();
    if (!task) return false;
    const queue = this.queueOf(hostOf(task.url));
    queue.tasks.push(task);
    this.buffered++;
    this.waiting.set(task.url, task);
    if (queue.state === 'idle') this.place(queue, now);
    return true;
  }

  /** Puts a queue where its state says, from the limits of its host. */
  private place(queue: HostQueue, now: number, first = false): void {
    if (queue.tasks.length === 0) {
      queue.state = 'idle';
      // An empty queue is forgotten: memory follows the hosts with work.
      this.queues.delete(queue.host);
      return;
    }
    const wait = this.options.limits.waitMs(queue.host, now);
    if (wait === 0) {
      queue.state = 'ready';
      if (first) this.ready.unshift(queue);
      else this.ready.push(queue);
    } else if (wait === Infinity) {
      queue.state = 'full';
    } else {
      queue.state = 'sleeping';
      queue.wakeAt = now + wait;
      this.sleeping.push({ at: queue.wakeAt, queue });
      this.arm(queue.wakeAt);
    }
  }

  private released(host: string): void {
    // A request in flight goes before the queue: it already holds a slot elsewhere.
    this.serveHops(Date.now());
    const queue = this.queues.get(host);
    if (queue?.state === 'full') this.place(queue, Date.now());
  }

  /** Moves queues whose delay has run out back to the ready list. */
  private wake(now: number): void {
    for (let entry = this.sleeping.peek(); entry && entry.at <= now; entry = this.sleeping.peek()) {
      this.sleeping.pop();
      const { queue } = entry;
      // Stale entries (the queue moved on since) are skipped.
      if (queue.state === 'sleeping' && queue.wakeAt === entry.at) this.place(queue, now);
    }
    // Timers keep their own clock: one may fire a moment before Date.now() reaches its
    // time. Whoever is still asleep keeps a timer.
    const first = this.sleeping.peek();
    if (first) this.arm(first.at);
  }

  private arm(at: number): void {
    if (this.timer && this.timerAt <= at) return;
    this.disarm();
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.timerAt = Infinity;
        // Hops are served here: no free window may ask next() for a while.
        this.serveHops(Date.now());
        this.options.onWake();
      },
      Math.max(0, at - Date.now()),
    );
  }

  private disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = Infinity;
  }

  private queueOf(host: string): HostQueue {
    let queue = this.queues.get(host);
    if (!queue) {
      queue = { host, tasks: [], state: 'idle', wakeAt: 0 };
      this.queues.set(host, queue);
    }
    return queue;
  }
}
