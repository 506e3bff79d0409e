export function publishVersion(
  partial: string,
  version: string,
  pattern: RegExp,
  keep: number,
): void;
export function useVersion(version: string): void;
