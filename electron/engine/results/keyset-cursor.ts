import { UserError } from '../user-error';

/** A sortable SQL value, as a cursor carries it. */
export type SortValue = string | number | null;

/** Where a screen ended: the sort and the last row's sort value and row key. */
export interface KeysetPosition {
  /** Identifies the sort the cursor belongs to, so a cursor from another sort is refused. */
  sort: string;
  value: SortValue;
  key: string | number;
}

/** Opaque to clients: base64url of JSON. */
export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify([position.sort, position.value, position.key])).toString(
    'base64url',
  );
}

const isSortValue = (value: unknown): value is SortValue =>
  value === null || typeof value === 'string' || typeof value === 'number';

export function decodeCursor(cursor: string, sort: string): KeysetPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new UserError('bad cursor: pass back nextCursor exactly as received');
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    typeof parsed[0] !== 'string' ||
    !isSortValue(parsed[1]) ||
    (typeof parsed[2] !== 'string' && typeof parsed[2] !== 'number')
  ) {
    throw new UserError('bad cursor: pass back nextCursor exactly as received');
  }
  if (parsed[0] !== sort) {
    throw new UserError(
      'this cursor belongs to another sort or filter: start from the first screen',
    );
  }
  return { sort: parsed[0], value: parsed[1], key: parsed[2] };
}
