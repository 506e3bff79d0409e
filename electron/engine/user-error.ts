/**
 * An error whose message is written for the person running Trawl: hosts show
 * it as one line, without a stack trace.
 */
export class UserError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UserError';
  }
}
