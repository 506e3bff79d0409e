/**
 * The HTTP status a URL answered with itself, as SQL over the page row
 * `page`: a page row holds where its URL ended (final_url, status), so for a
 * URL that redirected this is its first hop's status (301, 302…), the answer
 * an SEO tool counts and compares for that URL.
 */
export const ownStatus = (page: string) =>
  `CASE WHEN ${page}.redirect_count > 0 THEN (SELECT r.status FROM redirects r
     WHERE r.frontier_id = ${page}.frontier_id AND r.hop = 0) ELSE ${page}.status END`;
