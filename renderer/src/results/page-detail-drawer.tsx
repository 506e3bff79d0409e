import { useEffect, useRef, useState, type ReactNode } from 'react';
import { PAGE_COLUMNS } from '../../../shared/results';
import { ExternalLink } from '../common/external-link';
import { LoadMoreButton } from '../common/load-more';
import { errorMessage } from '../store/error-message';
import type { LinkList, PageDetailView } from '../store/results-slice';
import { cellText, COLUMN_LABELS } from './cell-text';

const NO_CLIPBOARD = 'the browser lets a page copy only over https or from localhost';

/**
 * Everything stored about one URL: fields, redirect chain, response headers,
 * extractions, inlinks and outlinks. Escape closes it. All crawled values are
 * rendered as text.
 */
export function PageDetailDrawer({
  view,
  onClose,
  onMoreLinks,
}: {
  view: PageDetailView;
  onClose: () => void;
  onMoreLinks: (direction: 'in' | 'out') => void;
}) {
  const closeButton = useRef<HTMLButtonElement>(null);
  /** The last Copy URL: which URL, and why it failed if it did. */
  const [copy, setCopy] = useState<{ url: string; failed: string | null } | null>(null);
  const drawer = useRef<HTMLElement>(null);
  // The row that opened the page (not a link inside the detail): closed, the detail gives
  // the focus back there, where it fell to the page's body.
  const opener = useRef<Element | null>(null);
  useEffect(() => {
    if (!drawer.current?.contains(document.activeElement)) opener.current = document.activeElement;
    closeButton.current?.focus();
  }, [view.url]);
  useEffect(
    () => () => {
      const row = opener.current;
      if (row instanceof HTMLElement && row.isConnected) row.focus();
    },
    [],
  );

  const copyUrl = async (url: string) => {
    try {
      // Absent on a page that is not a secure context (trawl serve --host, over plain HTTP).
      if (!('clipboard' in navigator)) throw new Error(NO_CLIPBOARD);
      await navigator.clipboard.writeText(url);
      setCopy({ url, failed: null });
    } catch (error) {
      setCopy({ url, failed: errorMessage(error) });
    }
  };
  const copied = copy?.url === view.url ? copy : null;
  const { detail } = view;
  return (
    <aside
      ref={drawer}
      className="drawer"
      role="dialog"
      aria-modal="false"
      aria-labelledby="detail-title"
      onKeyDown={(event) => {
        if (event.key === 'Escape') onClose();
      }}
    >
      <div className="drawer-head">
        <h3 id="detail-title" className="url">
          {view.url}
        </h3>
        <button ref={closeButton} type="button" onClick={onClose} aria-label="Close page detail">
          ✕
        </button>
      </div>
      <div className="actions">
        <button type="button" onClick={() => void copyUrl(view.url)}>
          {copied?.failed === null ? 'Copied' : 'Copy URL'}
        </button>
        <ExternalLink url={view.url}>Open in browser</ExternalLink>
      </div>
      {copied?.failed && (
        <p className="error" role="alert">
          Could not copy the URL: {copied.failed}. Select it above and copy it with Ctrl+C.
        </p>
      )}
      {view.state === 'loading' && <p className="loading">Loading…</p>}
      {view.state === 'error' && (
        <p className="error" role="alert">
          {view.error}
        </p>
      )}
      {detail && (
        <>
          <Section title="Fields">
            <table className="data compact kv" data-testid="detail-fields">
              <tbody>
                {PAGE_COLUMNS.map((column) => (
                  <tr key={column}>
                    <th scope="row">{COLUMN_LABELS[column]}</th>
                    <td>{cellText(column, detail.fields[column])}</td>
                  </tr>
                ))}
                <tr>
                  <th scope="row">Found on</th>
                  <td>{detail.foundOn ?? '(start URL)'}</td>
                </tr>
                <tr>
                  <th scope="row">In sitemap</th>
                  <td>{detail.inSitemap ? 'yes' : 'no'}</td>
                </tr>
              </tbody>
            </table>
          </Section>
          {detail.redirects.length > 0 && (
            <Section title="Redirect chain">
              <ol className="chain">
                {detail.redirects.map((hop) => (
                  <li key={hop.hop}>
                    <span className="badge">{hop.status}</span>{' '}
                    <span className="url">{hop.url}</span> →{' '}
                    <span className="url">{hop.location}</span>
                  </li>
                ))}
                {detail.kind === 'page' && (
                  <li>
                    <span className="badge">
                      {cellText('finalStatus', detail.fields.finalStatus)}
                    </span>{' '}
                    <span className="url">{cellText('finalUrl', detail.fields.finalUrl)}</span>
                  </li>
                )}
              </ol>
            </Section>
          )}
          <Section title="Response headers">
            <KeyValues values={detail.headers} empty="No headers stored." />
          </Section>
          {Object.keys(detail.extracted).length > 0 && (
            <Section title="Extractions">
              <KeyValues
                values={Object.fromEntries(
                  Object.entries(detail.extracted).map(([name, value]) => [
                    name,
                    Array.isArray(value) ? value.join(' | ') : (value ?? '(no match)'),
                  ]),
                )}
                empty=""
              />
            </Section>
          )}
          <Section title={`Inlinks (${detail.inlinkCount})`}>
            <Links list={view.inlinks} side="from" onMore={() => onMoreLinks('in')} />
          </Section>
          <Section title={`Outlinks (${detail.outlinkCount})`}>
            <Links list={view.outlinks} side="to" onMore={() => onMoreLinks('out')} />
          </Section>
        </>
      )}
    </aside>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="detail-section">
      <h4>{title}</h4>
      {children}
    </section>
  );
}

function KeyValues({ values, empty }: { values: Record<string, string>; empty: string }) {
  const entries = Object.entries(values);
  if (entries.length === 0) return <p className="empty">{empty}</p>;
  return (
    <table className="data compact kv">
      <tbody>
        {entries.map(([name, value]) => (
          <tr key={name}>
            <th scope="row">{name}</th>
            <td className="url">{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Links({
  list,
  side,
  onMore,
}: {
  list: LinkList;
  side: 'from' | 'to';
  onMore: () => void;
}) {
  const { rows } = list;
  if (rows.length === 0) return <p className="empty">None.</p>;
  return (
    <>
      <table className="data compact">
        <thead>
          <tr>
            <th scope="col">{side === 'from' ? 'From' : 'To'}</th>
            <th scope="col">Anchor</th>
            <th scope="col" className="num">
              Status
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((link, index) => (
            <tr key={`${index}-${link.fromUrl}-${link.toUrl}`}>
              <td className="url">{side === 'from' ? link.fromUrl : link.toUrl}</td>
              <td>{link.anchor}</td>
              <td className="num">{link.toStatus ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.nextCursor !== null && <LoadMoreButton loading={list.loading} onClick={onMore} />}
    </>
  );
}
