import type { MouseEvent, ReactNode } from 'react';
import { jobAddress } from '../store/route';
import { useApp } from '../store/store-context';

/**
 * A link to a job's dashboard, results or comparison: its address opens in a new tab
 * (middle-click, the context menu), while a plain click shows the screen in
 * place as a button did, keeping the results view the page already has.
 */
export function ScreenLink(props: {
  view: 'dashboard' | 'results' | 'compare';
  jobId: number;
  label: string;
  children: ReactNode;
}) {
  const navigate = useApp((state) => state.navigate);
  const open = (event: MouseEvent) => {
    // Modified or non-primary clicks are the browser's: new tab, new window, download.
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey)
      return;
    event.preventDefault();
    navigate(props.view, props.jobId);
  };
  return (
    <a
      className="button"
      href={jobAddress(props.view, props.jobId)}
      aria-label={props.label}
      onClick={open}
    >
      {props.children}
    </a>
  );
}
