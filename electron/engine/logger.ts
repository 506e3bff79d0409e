export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Where the engine's log lines go; each host decides how to show them. */
export type Logger = (level: LogLevel, message: string) => void;

export const silentLogger: Logger = () => undefined;
