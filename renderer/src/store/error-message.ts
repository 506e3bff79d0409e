/** The message to show for a failed host call (host errors are written for people). */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
