/** Pages per second over a sliding window of recent samples. */
export class Throughput {
  private readonly samples: { at: number; count: number }[] = [];

  constructor(private readonly windowMs = 5000) {}

  sample(count: number, at = Date.now()): void {
    this.samples.push({ at, count });
    while (this.samples.length > 2 && this.samples[0]!.at < at - this.windowMs)
      this.samples.shift();
  }

  perSecond(): number {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last.at === first.at) return 0;
    return ((last.count - first.count) * 1000) / (last.at - first.at);
  }
}
