import type { RedirectHop } from './worker-protocol';

/**
 * The HTTP status a URL answered with itself: its first redirect's (301,
 * 302…) when it redirected, else the final response's. SEO tools report a
 * URL by this answer; the final response's status is the page's `finalStatus`.
 */
export const ownStatus = (page: {
  status: number;
  redirects: readonly Pick<RedirectHop, 'status'>[];
}): number => page.redirects[0]?.status ?? page.status;
