export function bundle(entry: string, name: string): string;
