/** The value after `--name` on the command line, or `fallback`. */
export function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
}

/** `--name`'s comma-separated whole numbers, each at least 1; a clear error for anything else. */
export function positiveIntegers(name: string, fallback: string): number[] {
  const values = option(name, fallback).split(',');
  for (const value of values)
    if (!/^[1-9]\d*$/.test(value))
      throw new Error(`--${name} takes positive integers, not "${value}"`);
  return values.map(Number);
}

/** `--name`'s whole number, at least 1. */
export function positiveInteger(name: string, fallback: string): number {
  const [value, ...more] = positiveIntegers(name, fallback);
  if (more.length > 0) throw new Error(`--${name} takes one positive integer`);
  return value!;
}

/** The middle value of a set of runs. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  // An even count: the mean of its two middle values.
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
