/** Compile-time exhaustiveness check for `switch` over a discriminated union. */
export function missingCase(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}
