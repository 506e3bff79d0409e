import { useId, useState, type FormEvent } from 'react';
import { formatCount } from '../common/format';

/** What is wrong with a typed row number, or null when `total` rows make it reachable. */
export function rowNumberProblem(text: string, total: number | null): string | null {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed) || Number(trimmed) < 1) return 'Enter a row number from 1';
  if (total !== null && Number(trimmed) > total) {
    return total === 0
      ? 'This view has no rows'
      : `This view has ${formatCount(total)} row${total === 1 ? '' : 's'}`;
  }
  return null;
}

/** "Go to row N" in the results toolbar: the table restarts at that row. */
export function GoToRow({ total, onGo }: { total: number | null; onGo: (row: number) => void }) {
  const id = useId();
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = rowNumberProblem(text, total);
    setProblem(found);
    if (found === null) onGo(Number(text.trim()));
  };

  return (
    <form className="go-to-row" onSubmit={submit} aria-label="Go to row">
      <label htmlFor={`${id}-row`}>Row</label>
      <input
        id={`${id}-row`}
        inputMode="numeric"
        size={8}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          if (problem !== null) setProblem(rowNumberProblem(event.target.value, total));
        }}
        aria-invalid={problem !== null}
        aria-describedby={`${id}-error`}
      />
      <button type="submit">Go</button>
      <span id={`${id}-error`} className="error" role="alert">
        {problem}
      </span>
    </form>
  );
}
