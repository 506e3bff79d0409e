import { InvalidArgumentError } from 'commander';
import envPaths from 'env-paths';
import { join } from 'node:path';

/** A commander argument parser for whole numbers within bounds. */
export function wholeNumber(min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (
      !/^\d+$/.test(value.trim()) ||
      !Number.isSafeInteger(number) ||
      number < min ||
      number > max
    ) {
      throw new InvalidArgumentError(
        max === Number.MAX_SAFE_INTEGER
          ? `expected a whole number of at least ${min}`
          : `expected a whole number from ${min} to ${max}`,
      );
    }
    return number;
  };
}

/** A commander argument parser for one of `values`, exactly as written. */
export function oneOf<T extends string>(values: readonly T[]): (value: string) => T {
  return (value) => {
    if (!(values as readonly string[]).includes(value)) {
      throw new InvalidArgumentError(`expected one of: ${values.join(', ')}`);
    }
    return value as T;
  };
}

/** A commander argument parser for numbers within bounds, fractions allowed. */
export function numberIn(min: number, max: number): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (value.trim() === '' || !Number.isFinite(number) || number < min || number > max) {
      throw new InvalidArgumentError(`expected a number from ${min} to ${max}`);
    }
    return number;
  };
}

/** `--db`, else $TRAWL_DB, else trawl.sqlite in the user's data folder. */
export function databasePath(option: string | undefined): string {
  return (
    option ?? process.env.TRAWL_DB ?? join(envPaths('trawl', { suffix: '' }).data, 'trawl.sqlite')
  );
}

export const DB_OPTION_HELP =
  'SQLite database file (default: $TRAWL_DB or trawl.sqlite in the user data folder)';
