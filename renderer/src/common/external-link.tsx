/**
 * A crawled URL as a link that leaves the app: only http(s), always in a new
 * browsing context without opener or referrer (the desktop app routes it to
 * the OS browser). Anything else (javascript:, data:…) stays plain text.
 */
export function ExternalLink({ url, children }: { url: string; children?: string }) {
  if (!isHttpUrl(url)) return <span className="url">{children ?? url}</span>;
  return (
    <a className="url" href={url} target="_blank" rel="noopener noreferrer">
      {children ?? url}
    </a>
  );
}

export function isHttpUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
