/** Fetches the next rows of a list that comes a batch at a time; says so while it does. */
export function LoadMoreButton(props: { loading: boolean; onClick: () => void }) {
  return (
    <button type="button" onClick={props.onClick} disabled={props.loading}>
      {props.loading ? 'Loading…' : 'Load more'}
    </button>
  );
}
