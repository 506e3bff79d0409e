import type { CompareRow } from './results';

const shown = (value: string | number | null) => (value === null ? '-' : JSON.stringify(value));

/** What changed in a compared URL, one field after another: `status 200 -> 301; title "A" -> "B"`. */
export function describeChanges(row: CompareRow): string {
  return row.fields
    .map(({ field, before, after }) => `${field} ${shown(before)} -> ${shown(after)}`)
    .join('; ');
}
