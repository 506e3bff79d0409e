/**
 * An answer as UTF-8 JSON, built off main's thread where it was read (the
 * results thread), that the transports pass on as it is: the WebSocket
 * splices it into its response frame, the preload parses it. Main never
 * builds or parses it: a job's million start URLs are 54 MB of JSON, half
 * a second of main's thread (bench/RESULTS.md, eighteenth session).
 */
export interface JsonText<T> {
  jsonText: Uint8Array;
  /** Never set: what the text decodes to. */
  readonly decodesTo?: T;
}

/** Requests as a host answers them: those named by `Keys` with their value's JsonText. */
export type AnsweredAsJson<Requests, Keys extends keyof Requests> = Omit<Requests, Keys> & {
  [K in Keys]: Requests[K] extends (...args: infer A) => Promise<infer R>
    ? (...args: A) => Promise<JsonText<R>>
    : never;
};

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function toJsonText<T>(value: T): JsonText<T> {
  return { jsonText: encoder.encode(JSON.stringify(value)) };
}

export function isJsonText(value: unknown): value is JsonText<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    'jsonText' in value &&
    ArrayBuffer.isView(value.jsonText)
  );
}

/** The value itself, parsed from its JsonText if it came as one. */
export function fromJsonText(value: unknown): unknown {
  return isJsonText(value) ? JSON.parse(decoder.decode(value.jsonText)) : value;
}
