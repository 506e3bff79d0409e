export function isAlive(pid: number | null): boolean;
