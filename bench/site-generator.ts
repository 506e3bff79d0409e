/**
 * Deterministic synthetic website for benchmarks and end-to-end crawl tests.
 *
 * The same (pages, seed) always yields byte-identical pages. No Math.random:
 * the link graph comes from one seeded PRNG, and each body is rendered from
 * its own PRNG seeded with (seed, pageIndex), so bodies can be rendered in
 * any order, eagerly or on demand.
 *
 * Layout (paths are the Map keys, query string included):
 *   /                                home
 *   /about /contact /privacy /terms  static pages, /sitemap, /info/N (filler)
 *   /sK/                             section K (up to 20, all in the nav)
 *   /sK/cJ/  /sK/cJ/?page=N          category listing, 20 items per page
 *   /sK/cJ/?sort=name&page=1         sorted variant of the first listing page
 *   /sK/cJ/pID                       item; the last few items of a big
 *                                    category are unlisted and reachable only
 *                                    through the item "next" chain (depth)
 *   /files/NAME-N.pdf                small binary (application/pdf)
 *   /sK/cJ  /old/pID  /legacy/N      301 redirects (the last one a 2-hop chain)
 * Links that 404 point at /discontinued/..., /sK/cJ/pBIG, /sK/cJ/?page=L+1, ...
 *
 * Bodies may contain ORIGIN_PLACEHOLDER (absolute same-origin links, a few
 * <base href> and canonical links on "legacy template" pages, about 10 %);
 * the server substitutes its own origin (see `withOrigin`). An unsubstituted
 * placeholder is a harmless external `.invalid` host.
 */
import { normalizeUrl } from '../shared/url-normalize';

/** Written where an absolute same-origin URL appears; replaced by the serving origin. */
export const ORIGIN_PLACEHOLDER = 'http://origin.trawl.invalid';

export type PageKind =
  'home' | 'static' | 'sitemap' | 'info' | 'section' | 'listing' | 'item' | 'pdf' | 'redirect';

export interface SitePage {
  status: number;
  contentType: string;
  /** Response body (absent for redirects). In lazy mode a getter that renders anew each time. */
  body?: Buffer;
  /** Location header of a redirect; may contain ORIGIN_PLACEHOLDER or be relative. */
  location?: string;
  kind: PageKind;
  /** True when body or location contains ORIGIN_PLACEHOLDER. */
  usesOrigin: boolean;
  /** HTML pages: the <title> text as a parser decodes it (whitespace already collapsed). */
  title?: string;
  /** HTML pages: every <a href> value as a parser decodes it, in document order. */
  hrefs?: readonly string[];
  /** HTML pages: the <base href> value, when the page has one. */
  baseHref?: string;
}

export interface SiteStats {
  /** Map entries by kind of response. */
  html: number;
  pdf: number;
  redirects: number;
  /** Distinct linked paths that are not in the map (the server answers 404). */
  deadUrls: number;
  /** All <a href> values over all HTML pages. */
  links: number;
  /** Links to a dead path / to a redirect source / to another host or a non-http scheme. */
  brokenLinks: number;
  redirectLinks: number;
  offsiteLinks: number;
  /** Sum of body sizes; null in lazy mode. */
  bodyBytes: number | null;
  /** Wall time of generateSite, milliseconds. */
  generationMs: number;
}

export interface SyntheticSite {
  seed: number;
  pages: Map<string, SitePage>;
  /** Served at /robots.txt (not in `pages`: it is not a page a crawler stores). */
  robotsTxt: string;
  stats: SiteStats;
}

export interface GenerateSiteOptions {
  /** Entries in `pages` (HTML + PDF + redirects). Default 20,000; at least 30. */
  pages?: number;
  seed?: number;
  /** Render bodies on every access instead of once up front (saves ~1 GB, costs CPU per request). */
  lazyBodies?: boolean;
}

// ---------------------------------------------------------------------------
// PRNG

export type Rng = () => number;

export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mix(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x7f4a7c15, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x45d9f3b);
  h ^= h >>> 13;
  return h >>> 0;
}

function randInt(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

function pick<T>(arr: readonly T[], rng: Rng): T {
  const v = arr[Math.floor(rng() * arr.length)];
  if (v === undefined) throw new Error('pick() from an empty array');
  return v;
}

function at<T>(arr: readonly T[], i: number): T {
  const v = arr[i];
  if (v === undefined) throw new Error(`index ${i} out of range (${arr.length})`);
  return v;
}

// ---------------------------------------------------------------------------
// Text

const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'ne',
  'ra',
  'to',
  'sa',
  've',
  'qu',
  'bel',
  'dor',
  'fin',
  'gar',
  'hal',
  'jin',
  'kor',
  'lum',
  'mar',
  'nor',
  'pel',
  'ras',
  'sil',
  'tor',
  'ul',
  'vin',
  'wex',
  'yar',
  'zel',
  'an',
  'es',
  'ir',
  'on',
  'ux',
  'ber',
  'cal',
  'den',
  'fra',
  'gli',
  'ist',
  'mon',
  'ost',
  'pra',
  'rin',
  'sto',
  'tra',
  'und',
  'vel',
  'xan',
  'ti',
  'po',
];
const ACCENTED: Record<string, string> = { a: 'å', e: 'é', o: 'ø', u: 'ü', i: 'ï' };

function makeWords(rng: Rng, n: number): string[] {
  const words = new Set<string>();
  while (words.size < n) {
    let w = '';
    const syl = randInt(rng, 1, 4);
    for (let i = 0; i < syl; i++) w += pick(SYLLABLES, rng);
    if (rng() < 0.04) w = w.replace(/[aeoui]/, (c) => ACCENTED[c] ?? c);
    words.add(w);
  }
  return [...words];
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function escText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escAttr(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

function phrase(words: readonly string[], rng: Rng, lo: number, hi: number): string {
  const n = randInt(rng, lo, hi);
  let s = pick(words, rng);
  for (let i = 1; i < n; i++) s += ' ' + pick(words, rng);
  return s;
}

function sentence(words: readonly string[], rng: Rng): string {
  const n = randInt(rng, 6, 18);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    let w = pick(words, rng);
    const r = rng();
    if (r < 0.03) w = `<em>${w}</em>`;
    else if (r < 0.05) w = `<strong>${w}</strong>`;
    else if (r < 0.06) w = `<code>${w}</code>`;
    else if (r < 0.07) w = `${w},`;
    out.push(w);
  }
  out[0] = capitalize(at(out, 0));
  return out.join(' ') + (rng() < 0.1 ? '!' : '.');
}

/** Link-free HTML fragments that pad every page to its target size. */
function makeFragments(words: readonly string[], rng: Rng, n: number): string[] {
  const out: string[] = [];
  for (let f = 0; f < n; f++) {
    const r = rng();
    let s: string;
    if (r < 0.5) {
      const k = randInt(rng, 2, 7);
      s = '<p>';
      for (let i = 0; i < k; i++) s += (i ? ' ' : '') + sentence(words, rng);
      s += '</p>\n';
    } else if (r < 0.6) {
      const h = rng() < 0.5 ? 'h2' : 'h3';
      s = `<${h} id="${pick(words, rng)}-${f}">${capitalize(phrase(words, rng, 2, 6))}</${h}>\n`;
    } else if (r < 0.75) {
      const tag = rng() < 0.7 ? 'ul' : 'ol';
      s = `<${tag} class="features">\n`;
      const k = randInt(rng, 3, 8);
      for (let i = 0; i < k; i++) s += `  <li>${capitalize(phrase(words, rng, 3, 10))}</li>\n`;
      s += `</${tag}>\n`;
    } else if (r < 0.83) {
      s =
        '<table class="specs">\n<thead><tr><th>Property</th><th>Value</th><th>Unit</th></tr></thead>\n<tbody>\n';
      const k = randInt(rng, 3, 8);
      for (let i = 0; i < k; i++) {
        s += `<tr><td>${capitalize(pick(words, rng))}</td><td>${randInt(rng, 1, 9999)}</td><td>${pick(['mm', 'g', 'kg', '€', '°C', 'W'], rng)}</td></tr>\n`;
      }
      s += '</tbody>\n</table>\n';
    } else if (r < 0.88) {
      s = `<blockquote><p>${sentence(words, rng)} ${sentence(words, rng)}</p><cite>${capitalize(phrase(words, rng, 1, 2))} — ${randInt(rng, 1990, 2024)}</cite></blockquote>\n`;
    } else if (r < 0.93) {
      s = `<pre><code>if (a &lt; b &amp;&amp; c &gt; d) {\n  ${pick(words, rng)}(&quot;${pick(words, rng)}&quot;);\n}\n&lt;div class=&quot;${pick(words, rng)}&quot;&gt;&lt;/div&gt;</code></pre>\n`;
    } else {
      const w = pick(words, rng);
      s = `<figure><img src="/img/${w}-${f}.jpg" alt="${capitalize(phrase(words, rng, 2, 5))}" width="${randInt(rng, 200, 1200)}" height="${randInt(rng, 200, 900)}" loading="lazy"><figcaption>${sentence(words, rng)}</figcaption></figure>\n`;
    }
    out.push(s);
  }
  return out;
}

const HEAD_ASSETS = `<style>
:root{--fg:#1d1d1f;--bg:#fff;--accent:#0a66c2;--muted:#6e6e73}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
.site-header{display:flex;gap:1rem;align-items:center;padding:.5rem 1rem;border-bottom:1px solid #ddd}
.main-nav ul{display:flex;flex-wrap:wrap;gap:.75rem;list-style:none;margin:0;padding:0}
main{max-width:960px;margin:0 auto;padding:1rem}.breadcrumb ol{display:flex;gap:.5rem;list-style:none;padding:0}
.breadcrumb li+li::before{content:"/";margin-right:.5rem;color:var(--muted)}
.products{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:1rem;list-style:none;padding:0}
.product{border:1px solid #eee;border-radius:8px;padding:.75rem}.price{font-weight:600}
.pagination a{display:inline-block;padding:.25rem .5rem;border:1px solid #ddd;border-radius:4px;margin-right:.25rem}
.related{background:#f7f7f9;padding:1rem;border-radius:8px}table.specs{border-collapse:collapse;width:100%}
table.specs td,table.specs th{border:1px solid #ddd;padding:.25rem .5rem;text-align:left}
.site-footer{border-top:1px solid #ddd;padding:1rem;color:var(--muted);font-size:.875rem}
</style>
<script>
window.dataLayer = window.dataLayer || [];
function track(ev) { dataLayer.push({ event: ev, ts: Date.now() }); }
function promo() { var tpl = '<a href="/in-script/promo">Sale</a>'; return tpl.length > 0 && 1 < 2; }
</script>
`;

const FOOTER_KEYS = ['/about', '/contact', '/privacy', '/terms', '/sitemap'];
const FOOTER_LABELS = ['About us', 'Contact', 'Privacy', 'Terms &amp; Conditions', 'Sitemap'];
const EXTERNAL = [
  'https://example.invalid/',
  'https://example.invalid/docs/getting-started?ref=trawl',
  'https://partner.example.invalid/shop/item/42',
  'http://cdn.example.invalid/downloads/catalogue.zip',
  'https://www.example.invalid/blog/2024/05/review.html#comments',
  'ftp://files.example.invalid/pub/readme.txt',
];
const SOCIAL = 'https://social.example.invalid/trawl-test-shop';
const NON_HTTP = [
  'mailto:info@trawl.invalid',
  'mailto:sales@trawl.invalid?subject=Quote',
  'javascript:void(0)',
  'javascript:history.back()',
  'tel:+15555550100',
];

// ---------------------------------------------------------------------------
// URL references

function splitQuery(key: string): [string, string] {
  const q = key.indexOf('?');
  return q < 0 ? [key, ''] : [key.slice(0, q), key.slice(q)];
}

/**
 * A relative reference that resolves, against a document whose base path is
 * `basePath` (path + optional query), to the root-relative `target`.
 */
export function relativeHref(basePath: string, target: string, dotSlash = false): string {
  const [tPath, tQuery] = splitQuery(target);
  const [bPath] = splitQuery(basePath);
  if (tPath === bPath && tQuery !== '') return tQuery;
  const bDir = bPath.split('/');
  bDir.pop();
  const tSegs = tPath.split('/');
  const tLast = tSegs.pop() ?? '';
  let common = 0;
  while (common < bDir.length && common < tSegs.length && bDir[common] === tSegs[common]) common++;
  const ups = bDir.length - common;
  const rest = [...tSegs.slice(common), tLast].join('/');
  let rel = '../'.repeat(ups) + rest;
  if (rel === '') rel = './';
  else if (ups === 0 && (dotSlash || /^[^/]*:/.test(rest))) rel = './' + rel;
  return rel + tQuery;
}

// ---------------------------------------------------------------------------
// Structure

const enum Block {
  Breadcrumb,
  List,
  Pagination,
  Related,
  Inline,
}

interface HtmlSpec {
  index: number;
  key: string;
  kind: PageKind;
  title: string;
  legacy: boolean;
  baseHref?: string;
  /** Path (+query) relative links are computed against. */
  docBase: string;
  hrefs: string[];
  navCount: number;
  footerCount: number;
  blocks: [Block, number][];
  /** Links of the block being built (appended to hrefs by closeBlock). */
  pending: string[];
  pendingKind: Block;
}

interface Category {
  k: number;
  j: number;
  key: string;
  items: number[]; // item ids (the first `listed` appear in listings)
  listed: number;
  listingKeys: string[];
  sortKey: string;
  name: string;
  slashRedirect: boolean;
}

interface Item {
  id: number;
  cat: Category;
  pos: number;
  key: string;
  name: string;
  spec?: HtmlSpec;
}

/** Generate the site. Deterministic for a given (pages, seed). */
export function generateSite(options: GenerateSiteOptions = {}): SyntheticSite {
  const t0 = performance.now();
  const total = options.pages ?? 20_000;
  const seed = (options.seed ?? 1) >>> 0;
  if (!Number.isInteger(total) || total < 30)
    throw new RangeError('pages must be an integer >= 30');
  const rng = mulberry32(mix(seed, 0xc0ffee));

  const words = makeWords(rng, 2500);
  const fragments = makeFragments(words, rng, 3000);
  const fragBufs = fragments.map((f) => Buffer.from(f, 'utf8'));

  const nRedirects = Math.round(total * 0.01);
  const nPdf = Math.round(total * 0.005);
  const nHtml = total - nRedirects - nPdf;
  const S = Math.max(1, Math.min(20, Math.floor(nHtml / 100)));

  const specs: HtmlSpec[] = [];
  const newSpec = (key: string, kind: PageKind, title: string, docBase = key): HtmlSpec => {
    const spec: HtmlSpec = {
      index: specs.length,
      key,
      kind,
      title,
      legacy: rng() < 0.1,
      docBase,
      hrefs: [],
      navCount: 0,
      footerCount: 0,
      blocks: [],
      pending: [],
      pendingKind: Block.Inline,
    };
    specs.push(spec);
    return spec;
  };

  // Sections, categories, items --------------------------------------------
  const sectionNames = Array.from({ length: S }, () => capitalize(phrase(words, rng, 1, 2)));
  const sectionKeys = sectionNames.map((_, k) => `/s${k}/`);
  let remaining = nHtml - 1 - FOOTER_KEYS.length - S;
  const maxM = Math.min(160, Math.max(8, Math.floor(remaining / (2 * S))));
  const minM = Math.max(2, Math.floor(maxM / 4));
  const cost = (m: number): number => {
    const unlisted = m >= 20 ? Math.min(6, Math.floor(m * 0.06)) : 0;
    return m + Math.max(1, Math.ceil((m - unlisted) / 20)) + 1;
  };
  const categories: Category[] = [];
  const items: Item[] = [];
  const perSection: Category[][] = sectionNames.map(() => []);
  while (remaining >= cost(2)) {
    let m = randInt(rng, minM, maxM);
    while (cost(m) > remaining) m--;
    remaining -= cost(m);
    const c = categories.length;
    const k = c % S;
    const j = Math.floor(c / S);
    const key = `/s${k}/c${j}/`;
    const unlisted = m >= 20 ? Math.min(6, Math.floor(m * 0.06)) : 0;
    const listed = m - unlisted;
    const pagesN = Math.max(1, Math.ceil(listed / 20));
    const cat: Category = {
      k,
      j,
      key,
      items: [],
      listed,
      listingKeys: Array.from({ length: pagesN }, (_, n) =>
        n === 0 ? key : `${key}?page=${n + 1}`,
      ),
      sortKey: `${key}?sort=name&page=1`,
      name: capitalize(phrase(words, rng, 1, 3)),
      slashRedirect: false,
    };
    for (let i = 0; i < m; i++) {
      const id = items.length + 1;
      cat.items.push(id);
      items.push({
        id,
        cat,
        pos: i,
        key: `${key}p${id}`,
        name: capitalize(phrase(words, rng, 2, 3)),
      });
    }
    categories.push(cat);
    at(perSection, k).push(cat);
  }
  const infoCount = remaining;
  const listedItems = items.filter((it) => it.pos < it.cat.listed);
  const itemById = (id: number): Item => at(items, id - 1);

  // Redirects ---------------------------------------------------------------
  interface Redirect {
    key: string;
    location: string;
  }
  const redirects: Redirect[] = [];
  const rA = Math.min(categories.length, Math.floor(nRedirects * 0.25));
  const rC = Math.min(Math.floor(nRedirects * 0.1), Math.floor((nRedirects - rA) / 2));
  const rB = nRedirects - rA - rC;
  const shuffledCats = [...categories];
  for (let i = shuffledCats.length - 1; i > 0; i--) {
    const r = Math.floor(rng() * (i + 1));
    [shuffledCats[i], shuffledCats[r]] = [at(shuffledCats, r), at(shuffledCats, i)];
  }
  for (let i = 0; i < rA; i++) {
    const cat = at(shuffledCats, i);
    cat.slashRedirect = true;
    redirects.push({ key: cat.key.slice(0, -1), location: cat.key });
  }
  const oldKeys: string[] = [];
  const usedOld = new Set<number>();
  for (let i = 0; i < rB; i++) {
    const target = pick(listedItems, rng);
    let oldId = target.id;
    while (usedOld.has(oldId)) oldId += items.length;
    usedOld.add(oldId);
    const key = `/old/p${oldId}`;
    const r = rng();
    const location =
      r < 0.7
        ? target.key
        : r < 0.9
          ? ORIGIN_PLACEHOLDER + target.key
          : relativeHref(key, target.key);
    redirects.push({ key, location });
    oldKeys.push(key);
  }
  for (let i = 0; i < rC; i++) {
    redirects.push({ key: `/legacy/${i + 1}`, location: at(oldKeys, i) });
  }

  // PDFs and dead paths -----------------------------------------------------
  const pdfKeys: string[] = [];
  const pdfOwner = new Map<number, string[]>();
  for (let i = 0; i < nPdf; i++) {
    const key = `/files/${pick(words, rng).replace(/[^a-z]/g, 'x')}-${i + 1}.pdf`;
    pdfKeys.push(key);
    const owner = pick(items, rng).id;
    const list = pdfOwner.get(owner) ?? [];
    list.push(key);
    pdfOwner.set(owner, list);
  }
  const deadKeys: string[] = [];
  const nDead = Math.max(3, Math.round(total * 0.01));
  for (let i = 0; i < nDead; i++) {
    const r = rng();
    const cat = pick(categories, rng);
    if (r < 0.35) deadKeys.push(`/discontinued/p${i + 1}`);
    else if (r < 0.7) deadKeys.push(`${cat.key}p${items.length + 1 + i}`);
    else if (r < 0.85) deadKeys.push(`${cat.key}?page=${cat.listingKeys.length + 1 + (i % 3)}`);
    else deadKeys.push(`/s${cat.k}/${pick(words, rng).replace(/[^a-z]/g, 'x')}-guide-${i}`);
  }
  // (The three dead styles cannot collide with a page key; dedupe anyway.)
  const deadPool = [...new Set(deadKeys)];

  const redirectKeys = redirects.map((r) => r.key);

  // Link helpers -----------------------------------------------------------
  let nLinks = 0;
  let nBroken = 0;
  let nRedirectLinks = 0;
  let nOffsite = 0;

  const closeBlock = (spec: HtmlSpec): void => {
    if (spec.pending.length > 0) {
      spec.blocks.push([spec.pendingKind, spec.pending.length]);
      for (const h of spec.pending) spec.hrefs.push(h);
      spec.pending = [];
    }
  };
  const openBlock = (spec: HtmlSpec, kind: Block): void => {
    closeBlock(spec);
    spec.pendingKind = kind;
  };
  /** Add a same-origin link in the given style ('root' | 'rel' | 'mixed'). */
  const link = (spec: HtmlSpec, target: string, style: 'root' | 'rel' | 'mixed'): void => {
    let href: string;
    const r = rng();
    if (spec.legacy && style !== 'root' && r < 0.3) href = ORIGIN_PLACEHOLDER + target;
    else if (style === 'rel' || (style === 'mixed' && r > 0.85))
      href = relativeHref(spec.docBase, target, rng() < 0.3);
    else href = target;
    const r2 = rng();
    if (style !== 'root' && r2 < 0.03) href += pick(['#reviews', '#specs', '#top', '#'], rng);
    else if (style !== 'root' && r2 < 0.04) href = ` ${href}\t`;
    spec.pending.push(href);
  };
  const raw = (spec: HtmlSpec, href: string): void => {
    spec.pending.push(href);
  };
  const nav = (spec: HtmlSpec): void => {
    openBlock(spec, Block.Inline);
    raw(spec, '/');
    for (const k of sectionKeys) raw(spec, k);
    // nav is flushed straight into hrefs (not a middle block)
    for (const h of spec.pending) spec.hrefs.push(h);
    spec.navCount = spec.pending.length;
    spec.pending = [];
  };
  const footer = (spec: HtmlSpec): void => {
    // Broken links and links to redirect sources, ~1 % of links each, spliced
    // into the middle blocks before the footer is added.
    closeBlock(spec);
    const base = spec.hrefs.length + FOOTER_KEYS.length;
    const extra = (rate: number, pool: readonly string[], onAdd: () => void): void => {
      const n = Math.floor(base * rate + rng());
      for (let i = 0; i < n && pool.length > 0; i++) {
        spliceMiddle(
          spec,
          rng() < 0.8 ? pick(pool, rng) : relativeHref(spec.docBase, pick(pool, rng)),
        );
        onAdd();
      }
    };
    extra(0.01, deadPool, () => nBroken++);
    extra(0.01, redirectKeys, () => nRedirectLinks++);
    const start = spec.hrefs.length;
    for (const k of FOOTER_KEYS) spec.hrefs.push(k);
    if (rng() < 0.3) spec.hrefs.push(SOCIAL);
    if (rng() < 0.1) spec.hrefs.push(pick(NON_HTTP, rng));
    if (rng() < 0.4) spec.hrefs.push('#top');
    if (rng() < 0.01) spec.hrefs.push('');
    spec.footerCount = spec.hrefs.length - start;
    nLinks += spec.hrefs.length;
    for (const h of spec.hrefs)
      if (!h.startsWith('/') && !h.startsWith(ORIGIN_PLACEHOLDER) && /^[a-z]+:/.test(h)) nOffsite++;
  };
  const spliceMiddle = (spec: HtmlSpec, href: string): void => {
    // Insert into a random middle block (or append an inline block).
    const nb = spec.blocks.length;
    if (nb === 0) {
      spec.blocks.push([Block.Inline, 1]);
      spec.hrefs.push(href);
      return;
    }
    const b = Math.floor(rng() * nb);
    let off = spec.navCount;
    for (let i = 0; i < b; i++) off += at(spec.blocks, i)[1];
    const block = at(spec.blocks, b);
    spec.hrefs.splice(off + Math.floor(rng() * (block[1] + 1)), 0, href);
    block[1]++;
  };
  const externals = (spec: HtmlSpec, p: number): void => {
    if (rng() < p) {
      openBlock(spec, Block.Inline);
      const n = randInt(rng, 1, 2);
      for (let i = 0; i < n; i++) raw(spec, pick(EXTERNAL, rng));
      if (rng() < 0.25) raw(spec, pick(NON_HTTP, rng));
    }
  };
  const randomItems = (spec: HtmlSpec, n: number, style: 'root' | 'mixed'): void => {
    for (let i = 0; i < n; i++) link(spec, pick(listedItems, rng).key, style);
  };

  const SITE = 'Trawl Test Shop';

  // Home, static, sitemap, info ----------------------------------------------
  {
    const home = newSpec('/', 'home', `${SITE} – Home & Garden, Tools · Everything`);
    nav(home);
    openBlock(home, Block.List);
    for (const [k, cats] of perSection.entries()) {
      if (k >= 12) break;
      const c = cats[0];
      if (c) link(home, c.key, 'mixed');
    }
    openBlock(home, Block.List);
    randomItems(home, 10, 'mixed');
    externals(home, 0.5);
    footer(home);
  }
  const staticTitles = ['About us', 'Contact', 'Privacy policy', 'Terms & Conditions'];
  for (let i = 0; i < 4; i++) {
    const s = newSpec(at(FOOTER_KEYS, i), 'static', `${at(staticTitles, i)} | ${SITE}`);
    nav(s);
    openBlock(s, Block.Inline);
    randomItems(s, randInt(rng, 3, 8), 'root');
    if (i === 1) raw(s, 'mailto:info@trawl.invalid');
    externals(s, 0.8);
    footer(s);
  }
  const infoKeys = Array.from({ length: infoCount }, (_, i) => `/info/${i + 1}`);
  {
    const s = newSpec('/sitemap', 'sitemap', `Sitemap | ${SITE}`);
    nav(s);
    openBlock(s, Block.List);
    for (const cat of categories.slice(0, 25)) link(s, cat.key, 'root');
    for (const k of infoKeys) link(s, k, 'root');
    footer(s);
  }
  for (const key of infoKeys) {
    const s = newSpec(key, 'info', `Information ${key.slice(6)} | ${SITE}`);
    nav(s);
    openBlock(s, Block.Inline);
    randomItems(s, 3, 'root');
    footer(s);
  }

  // Sections ----------------------------------------------------------------
  for (let k = 0; k < S; k++) {
    const key = at(sectionKeys, k);
    const s = newSpec(key, 'section', `${at(sectionNames, k)} | ${SITE}`);
    nav(s);
    openBlock(s, Block.Breadcrumb);
    link(s, '/', 'rel');
    openBlock(s, Block.List);
    for (const cat of at(perSection, k))
      link(s, cat.slashRedirect ? cat.key.slice(0, -1) : cat.key, 'rel');
    openBlock(s, Block.List);
    const inSection = at(perSection, k).flatMap((c) => c.items.slice(0, c.listed));
    for (let i = 0; i < 8 && inSection.length > 0; i++)
      link(s, itemById(pick(inSection, rng)).key, 'rel');
    externals(s, 0.3);
    footer(s);
  }

  // Listings ------------------------------------------------------------------
  for (const cat of categories) {
    const L = cat.listingKeys.length;
    const secName = at(sectionNames, cat.k);
    for (let n = 1; n <= L; n++) {
      const key = at(cat.listingKeys, n - 1);
      const s = newSpec(
        key,
        'listing',
        `${cat.name}${n > 1 ? ` – page ${n}` : ''} | ${secName} | ${SITE}`,
      );
      nav(s);
      openBlock(s, Block.Breadcrumb);
      link(s, '/', 'rel');
      link(s, sectionKeys[cat.k] ?? '/', 'rel');
      if (L > 1 || n === 1) {
        openBlock(s, Block.Pagination);
        const pageLink = (m: number): void => link(s, at(cat.listingKeys, m - 1), 'rel');
        if (n > 1) pageLink(n - 1);
        if (n > 3) pageLink(1);
        for (let m = Math.max(1, n - 2); m <= Math.min(L, n + 2); m++) if (m !== n) pageLink(m);
        if (n + 2 < L) pageLink(L);
        if (n < L) pageLink(n + 1);
        if (n === 1) link(s, cat.sortKey, 'rel');
      }
      openBlock(s, Block.List);
      for (const id of cat.items.slice((n - 1) * 20, Math.min(cat.listed, n * 20)))
        link(s, itemById(id).key, 'rel');
      externals(s, 0.05);
      footer(s);
    }
    const s = newSpec(
      cat.sortKey,
      'listing',
      `${cat.name} – sorted by name | ${secName} | ${SITE}`,
    );
    nav(s);
    openBlock(s, Block.Breadcrumb);
    link(s, '/', 'rel');
    link(s, sectionKeys[cat.k] ?? '/', 'rel');
    link(s, cat.key, 'rel');
    openBlock(s, Block.List);
    const sorted = cat.items
      .slice(0, cat.listed)
      .map(itemById)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id));
    for (const it of sorted.slice(0, 20)) link(s, it.key, 'rel');
    footer(s);
  }

  // Items ---------------------------------------------------------------------
  // Redirect sources each get at least one link, from a random item.
  const mustLink = new Map<number, string[]>();
  for (const r of redirects) {
    if (r.key.startsWith('/old/') || r.key.startsWith('/legacy/')) {
      const id = pick(listedItems, rng).id;
      const l = mustLink.get(id) ?? [];
      l.push(r.key);
      mustLink.set(id, l);
    }
  }
  for (const it of items) {
    const cat = it.cat;
    const section = at(sectionKeys, cat.k);
    const withBase = rng() < 0.01;
    const s = newSpec(
      it.key,
      'item',
      `${it.name} – ${cat.name} | ${at(sectionNames, cat.k)} & More | ${SITE}`,
      withBase ? section : it.key,
    );
    if (withBase) s.baseHref = s.legacy ? ORIGIN_PLACEHOLDER + section : section;
    it.spec = s;
    nav(s);
    openBlock(s, Block.Breadcrumb);
    link(s, '/', 'rel');
    link(s, section, 'rel');
    link(s, cat.key, 'rel');
    openBlock(s, Block.Pagination);
    const prev = cat.items[it.pos - 1];
    const next = cat.items[it.pos + 1];
    if (prev !== undefined) link(s, itemById(prev).key, 'rel');
    if (next !== undefined) link(s, itemById(next).key, 'rel');
    openBlock(s, Block.Related);
    const n1 = Math.min(randInt(rng, 2, 6), cat.listed);
    for (let i = 0; i < n1; i++)
      link(s, itemById(at(cat.items, Math.floor(rng() * cat.listed))).key, 'rel');
    const siblings = at(perSection, cat.k).filter((c) => c !== cat && c.listed > 0);
    if (siblings.length > 0) {
      const n2 = randInt(rng, 1, 4);
      for (let i = 0; i < n2; i++) {
        const c = pick(siblings, rng);
        link(s, itemById(at(c.items, Math.floor(rng() * c.listed))).key, 'rel');
      }
    }
    openBlock(s, Block.List);
    randomItems(s, randInt(rng, 2, 12), 'mixed');
    const pdfs = pdfOwner.get(it.id);
    const must = mustLink.get(it.id);
    if (pdfs || must) {
      openBlock(s, Block.Inline);
      for (const k of pdfs ?? []) link(s, k, 'mixed');
      for (const k of must ?? []) link(s, k, 'mixed');
    }
    externals(s, 0.4);
    if (rng() < 0.1) {
      openBlock(s, Block.Inline);
      raw(s, pick(NON_HTTP, rng));
    }
    footer(s);
  }

  // Materialize ---------------------------------------------------------------
  const pages = new Map<string, SitePage>();
  let bodyBytes = 0;
  const lazy = options.lazyBodies === true;
  const slab = new Slab();
  const fromSlab: Alloc = (size) => slab.take(size);
  const ctx: RenderCtx = { words, fragBufs, sectionNames, seed };
  // Map order: pages in the order a breadth-first crawl would roughly meet them.
  for (const spec of specs) {
    const page: SitePage = {
      status: 200,
      contentType: 'text/html; charset=utf-8',
      kind: spec.kind,
      usesOrigin: spec.legacy || spec.hrefs.some((h) => h.includes(ORIGIN_PLACEHOLDER)),
      title: spec.title,
      hrefs: spec.hrefs,
    };
    if (spec.baseHref !== undefined) page.baseHref = spec.baseHref;
    if (lazy) {
      Object.defineProperty(page, 'body', { enumerable: true, get: () => renderHtml(ctx, spec) });
    } else {
      page.body = renderHtml(ctx, spec, fromSlab);
      bodyBytes += page.body.length;
    }
    pages.set(spec.key, page);
  }
  pdfKeys.forEach((key, i) => {
    const page: SitePage = {
      status: 200,
      contentType: 'application/pdf',
      kind: 'pdf',
      usesOrigin: false,
    };
    const index = specs.length + i;
    if (lazy)
      Object.defineProperty(page, 'body', { enumerable: true, get: () => renderPdf(seed, index) });
    else {
      page.body = renderPdf(seed, index, fromSlab);
      bodyBytes += page.body.length;
    }
    pages.set(key, page);
  });
  for (const r of redirects) {
    pages.set(r.key, {
      status: 301,
      contentType: 'text/html; charset=utf-8',
      kind: 'redirect',
      location: r.location,
      usesOrigin: r.location.includes(ORIGIN_PLACEHOLDER),
    });
  }
  if (pages.size !== total)
    throw new Error(`internal: generated ${pages.size} pages, wanted ${total}`);

  return {
    seed,
    pages,
    robotsTxt: 'User-agent: *\nDisallow:\n',
    stats: {
      html: specs.length,
      pdf: pdfKeys.length,
      redirects: redirects.length,
      deadUrls: deadPool.length,
      links: nLinks,
      brokenLinks: nBroken,
      redirectLinks: nRedirectLinks,
      offsiteLinks: nOffsite,
      bodyBytes: lazy ? null : bodyBytes,
      generationMs: performance.now() - t0,
    },
  };
}

// ---------------------------------------------------------------------------
// Rendering

interface RenderCtx {
  words: string[];
  fragBufs: Buffer[];
  sectionNames: string[];
  seed: number;
}

const MIN_BYTES = 20 * 1024;
const MAX_BYTES = 80 * 1024;

function anchor(href: string, text: string, rng: Rng, extra = ''): string {
  let enc = escAttr(href);
  if (rng() < 0.01) {
    const slash = enc.indexOf('/', 1);
    if (slash > 0 && href.startsWith('/'))
      enc = enc.slice(0, slash) + '&#47;' + enc.slice(slash + 1);
  }
  const r = rng();
  if (r < 0.8) return `<a href="${enc}"${extra}>${text}</a>`;
  if (r < 0.88) return `<a class="lnk" href='${enc}' title="${text}"${extra}>${text}</a>`;
  if (r < 0.92) return `<A HREF="${enc}"${extra}>${text}</A>`;
  if (r < 0.96 && /^[A-Za-z0-9._~/-]+$/.test(href)) return `<a href=${href}${extra}>${text}</a>`;
  return `<a\n   data-track="${Math.floor(r * 1000)}"  href = "${enc}"${extra} >${text}</a>`;
}

/**
 * Bodies rendered up front are carved out of 64 MB slabs: one external
 * allocation per slab instead of per page keeps V8 from running a full GC
 * every few MB of external memory (20,000 pages: 6.1 s with one allocation
 * per page, 3.6 s with slabs, on this 2-core machine).
 */
class Slab {
  private buf = Buffer.alloc(0);
  private used = 0;
  take(size: number): Buffer {
    if (this.used + size > this.buf.length) {
      this.buf = Buffer.allocUnsafeSlow(Math.max(64 << 20, size));
      this.used = 0;
    }
    const out = this.buf.subarray(this.used, this.used + size);
    this.used += size;
    return out;
  }
}

type Alloc = (size: number) => Buffer;
const perPage: Alloc = (size) => Buffer.allocUnsafe(size);

function renderHtml(ctx: RenderCtx, spec: HtmlSpec, alloc: Alloc = perPage): Buffer {
  const rng = mulberry32(mix(ctx.seed, spec.index + 1));
  const { words } = ctx;
  const target = randInt(rng, MIN_BYTES + 1024, MAX_BYTES - 256);
  const text = (lo: number, hi: number): string => capitalize(phrase(words, rng, lo, hi));

  let head = `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>${escText(spec.title)}</title>\n<meta name="description" content="${escAttr(sentence(words, rng).replace(/<[^>]+>/g, ''))}">\n`;
  if (spec.baseHref !== undefined) head += `<base href="${escAttr(spec.baseHref)}">\n`;
  head += `<link rel="canonical" href="${spec.legacy ? ORIGIN_PLACEHOLDER : ''}${escAttr(spec.key)}">\n`;
  head += HEAD_ASSETS;
  head += `</head>\n<body class="page-${spec.kind}">\n<a id="top"></a>\n<header class="site-header"><div class="logo">Trawl Test Shop</div>\n<form class="search" action="/search" method="get"><input type="search" name="q" placeholder="Search…"><button>Go</button></form>\n<nav class="main-nav"><ul>\n`;
  let h = 0;
  for (; h < spec.navCount; h++) {
    const label = h === 0 ? 'Home' : escText(ctx.sectionNames[h - 1] ?? 'Section');
    head += `<li>${anchor(at(spec.hrefs, h), label, rng)}</li>\n`;
  }
  head += `</ul></nav></header>\n<main>\n<h1>${escText(spec.title)}</h1>\n`;

  const blocks: string[] = [];
  for (const [kind, count] of spec.blocks) {
    let s: string;
    const links: string[] = [];
    for (let i = 0; i < count; i++, h++) links.push(at(spec.hrefs, h));
    switch (kind) {
      case Block.Breadcrumb:
        s = `<nav class="breadcrumb" aria-label="Breadcrumb"><ol>${links.map((l) => `<li>${anchor(l, text(1, 2), rng)}</li>`).join('')}</ol></nav>\n`;
        break;
      case Block.Pagination:
        s = `<nav class="pagination">${links.map((l) => anchor(l, String(randInt(rng, 1, 9)), rng)).join(' ')}</nav>\n`;
        break;
      case Block.List:
        s = `<ul class="products">\n${links
          .map(
            (l) =>
              `<li class="product">${anchor(l, text(2, 4), rng)} <span class="price">€${randInt(rng, 1, 999)}.${randInt(rng, 10, 99)}</span></li>\n`,
          )
          .join('')}</ul>\n`;
        break;
      case Block.Related:
        s = `<aside class="related"><h3>Related</h3><ul>${links.map((l) => `<li>${anchor(l, text(1, 4), rng)}</li>`).join('')}</ul></aside>\n`;
        break;
      default:
        s = `<p>${links.map((l) => `${phrase(words, rng, 3, 12)} ${anchor(l, text(1, 3), rng, /^https?:/.test(l) ? ' rel="noopener" target="_blank"' : '')}`).join(', ')}.</p>\n`;
    }
    blocks.push(s);
  }

  let tail = `</main>\n<footer class="site-footer"><ul>\n`;
  for (let f = 0; f < spec.footerCount; f++, h++) {
    tail += `<li>${anchor(at(spec.hrefs, h), FOOTER_LABELS[f] ?? text(1, 2), rng)}</li>\n`;
  }
  tail += '</ul>\n<p>&copy; 2024 Trawl Test Shop &middot; All rights reserved.</p></footer>\n';
  if (rng() < 0.2) tail += `<!-- <a href="/commented-out/${spec.index}">Old promotion</a> -->\n`;
  tail += '</body>\n</html>\n';

  const headBytes = Buffer.byteLength(head);
  const tailBytes = Buffer.byteLength(tail);
  const blockBytes = blocks.map((b) => Buffer.byteLength(b));
  let fixed = headBytes + tailBytes;
  for (const n of blockBytes) fixed += n;

  // Pad with pre-encoded fragments (memcpy only), spread over the gaps
  // between link blocks; a comment tops up the rare page left under 20 KB.
  const gaps: Buffer[][] = Array.from({ length: blocks.length + 1 }, () => []);
  let budget = target - fixed;
  const nFrag = ctx.fragBufs.length;
  for (let misses = 0; misses < 4;) {
    const frag = at(ctx.fragBufs, Math.floor(rng() * nFrag));
    if (frag.length > budget) {
      misses++;
      continue;
    }
    budget -= frag.length;
    at(gaps, Math.floor(rng() * gaps.length)).push(frag);
  }
  const size = target - budget;
  const pad = size < MIN_BYTES ? `<!--${' '.repeat(MIN_BYTES - size)}-->\n` : '';
  const out = alloc(size + pad.length);
  let off = out.write(head, 0, 'utf8');
  for (let g = 0; g < gaps.length; g++) {
    for (const f of at(gaps, g)) off += f.copy(out, off);
    const b = blocks[g];
    if (b !== undefined) off += out.write(b, off, 'utf8');
  }
  off += out.write(pad, off, 'latin1');
  off += out.write(tail, off, 'utf8');
  if (off !== out.length) throw new Error(`internal: rendered ${off} of ${out.length} bytes`);
  return out;
}

function renderPdf(seed: number, index: number, alloc: Alloc = perPage): Buffer {
  const rng = mulberry32(mix(seed, index + 1));
  const size = randInt(rng, 2048, 20 * 1024);
  const buf = alloc(size);
  const header = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  buf.write(header, 0, 'latin1');
  for (let i = header.length; i < size; i += 4) {
    const v = Math.floor(rng() * 4294967296);
    if (i + 4 <= size) buf.writeUInt32LE(v, i);
    else for (let j = i; j < size; j++) buf[j] = (v >>> ((j - i) * 8)) & 0xff;
  }
  return buf;
}

// ---------------------------------------------------------------------------
// Origin substitution

/** A copy of `body` with every ORIGIN_PLACEHOLDER replaced by `origin` (e.g. "http://127.0.0.1:8080"). */
export function withOrigin(body: Buffer, origin: string): Buffer {
  const needle = ORIGIN_PLACEHOLDER;
  let i = body.indexOf(needle, 0, 'latin1');
  if (i < 0) return body;
  const originBuf = Buffer.from(origin, 'latin1');
  const parts: Buffer[] = [];
  let last = 0;
  while (i >= 0) {
    parts.push(body.subarray(last, i), originBuf);
    last = i + needle.length;
    i = body.indexOf(needle, last, 'latin1');
  }
  parts.push(body.subarray(last));
  return Buffer.concat(parts);
}

// ---------------------------------------------------------------------------
// Expected crawl

export interface ExpectedCrawl {
  /**
   * Every URL a same-origin crawler starting at "/" stores: 200 pages, 404
   * targets and redirect sources (and their targets), sorted. Absolute and
   * normalized (shared/url-normalize) when `origin` was given, else
   * root-relative path+query keys.
   */
  urls: string[];
  /** Link hops from "/" (following a redirect counts as one hop), by path+query key. */
  depth: Map<string, number>;
  ok: number;
  notFound: number;
  redirects: number;
  maxDepth: number;
}

/**
 * Breadth-first walk over the site's link graph exactly as a crawler sees it:
 * each <a href> (and <base href>) resolved with the WHATWG URL parser via
 * `normalizeUrl` (fragment dropped), non-http(s) and other hosts skipped,
 * redirects followed to their Location.
 */
export function expectedCrawl(
  site: SyntheticSite,
  options: { origin?: string } = {},
): ExpectedCrawl {
  const origin = new URL(options.origin ?? 'http://site.invalid').origin;
  const prefix = origin + '/';
  const sub = (s: string): string =>
    s.includes(ORIGIN_PLACEHOLDER) ? s.split(ORIGIN_PLACEHOLDER).join(origin) : s;
  const depth = new Map<string, number>([['/', 0]]);
  const queue: string[] = ['/'];
  let ok = 0;
  let notFound = 0;
  let redirects = 0;
  let maxDepth = 0;
  const visit = (url: string | null, d: number): void => {
    if (url === null || !url.startsWith(prefix)) return;
    const key = url.slice(origin.length);
    if (depth.has(key)) return;
    depth.set(key, d);
    queue.push(key);
  };
  for (let qi = 0; qi < queue.length; qi++) {
    const key = queue[qi] ?? '/';
    const d = depth.get(key) ?? 0;
    if (d > maxDepth) maxDepth = d;
    const page = site.pages.get(key);
    const pageUrl = origin + key;
    if (page === undefined) {
      notFound++;
      continue;
    }
    if (page.status >= 300 && page.status < 400) {
      redirects++;
      if (page.location !== undefined) visit(normalizeUrl(sub(page.location), pageUrl), d + 1);
      continue;
    }
    ok++;
    if (page.hrefs === undefined) continue;
    let base = pageUrl;
    if (page.baseHref !== undefined) {
      try {
        base = new URL(sub(page.baseHref), pageUrl).href;
      } catch {
        /* invalid <base href>: keep the document URL */
      }
    }
    for (const href of page.hrefs) visit(normalizeUrl(sub(href), base), d + 1);
  }
  const urls = [...depth.keys()].sort();
  return {
    urls: options.origin === undefined ? urls : urls.map((k) => origin + k),
    depth,
    ok,
    notFound,
    redirects,
    maxDepth,
  };
}
