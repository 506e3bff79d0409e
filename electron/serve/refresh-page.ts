const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * A page that sends the browser on to `target` at once, with no script (the
 * served pages' CSP allows none inline) and a link for a browser that does
 * not follow `<meta http-equiv="refresh">`.
 */
export function refreshPage(target: string): string {
  const href = target.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
  return (
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">' +
    `<meta http-equiv="refresh" content="0;url=${href}"><title>Trawl</title></head>` +
    `<body><a href="${href}">Open Trawl</a></body></html>\n`
  );
}
