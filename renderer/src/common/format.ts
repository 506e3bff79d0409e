/** Display formatting shared by the screens. */

export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

/** `1 row`, `5,000 rows`. */
export function formatRows(value: number): string {
  return `${formatCount(value)} ${value === 1 ? 'row' : 'rows'}`;
}

/** `1:05`, `1:02:03`. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0
    ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}`
    : `${minutes}:${seconds}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function formatTime(ms: number | null): string {
  return ms === null ? '–' : new Date(ms).toLocaleString();
}
