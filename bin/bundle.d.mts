export function bundle(entries: Record<string, string>): Record<string, string>;
