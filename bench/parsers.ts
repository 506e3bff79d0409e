/**
 * HTML parser comparison for the worker's extraction job: <title> text, every
 * <a href> and the first <base href>, on ~2,000 generated pages (20-80 KB).
 *
 *   npx tsx bench/parsers.ts [--pages 2000] [--runs 5]
 *
 * parse5, parse5-sax-parser and node-html-parser are optional (not project
 * dependencies): npm install --no-save parse5 parse5-sax-parser node-html-parser
 * A missing one is reported and skipped. Single process, parsers interleaved
 * run by run; median of the timed runs after one warm-up pass, which also
 * checks every parser's output against (a) on all pages.
 */
import { parseDocument } from 'htmlparser2';
import { parseHtml, type ParsedHtml as WorkerParse } from '../electron/worker/parse-html';

/** What every candidate extracts (the worker's parse returns more). */
type ParsedHtml = Pick<WorkerParse, 'title' | 'hrefs' | 'baseHref'>;
import { generateSite, withOrigin, ORIGIN_PLACEHOLDER } from './site-generator';

type Parse = (html: string) => ParsedHtml | Promise<ParsedHtml>;

interface Candidate {
  name: string;
  parse: Parse;
  note?: string;
  /** Parses the one-byte latin1 view of the bytes instead of decoded text. */
  latin1View?: boolean;
}

const utf8FromLatin1 = (raw: string): string => Buffer.from(raw, 'latin1').toString('utf8');

const collapse = (s: string): string => s.replace(/\s+/g, ' ').trim();

// (d) htmlparser2 DOM (what cheerio builds) + manual walk ----------------------
interface H2Node {
  type: string;
  name?: string;
  attribs?: Record<string, string>;
  children?: H2Node[];
  data?: string;
}

function h2Text(node: H2Node): string {
  if (node.type === 'text') return node.data ?? '';
  let s = '';
  for (const c of node.children ?? []) s += h2Text(c);
  return s;
}

function htmlparser2Dom(html: string): ParsedHtml {
  const doc = parseDocument(html, {
    decodeEntities: true,
    lowerCaseTags: true,
    lowerCaseAttributeNames: true,
  });
  const out: ParsedHtml = { title: null, hrefs: [], baseHref: null };
  const walk = (nodes: H2Node[]): void => {
    for (const n of nodes) {
      if (n.name !== undefined) {
        const href = n.attribs?.href;
        if (n.name === 'a') {
          if (href !== undefined) out.hrefs.push(href);
        } else if (n.name === 'title') {
          if (out.title === null) out.title = collapse(h2Text(n));
          continue;
        } else if (n.name === 'base' && out.baseHref === null && href !== undefined)
          out.baseHref = href;
      }
      if (n.children) walk(n.children);
    }
  };
  walk(doc.children as unknown as H2Node[]);
  return out;
}

// (e) regex lower bound (wrong on comments, scripts, entities) ---------------------
const A_RE = /<a\s[^>]*?href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi;
const TITLE_RE = /<title[^>]*>([\s\S]*?)<\/title>/i;
const BASE_RE = /<base\s[^>]*?href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i;

function regex(html: string): ParsedHtml {
  const hrefs: string[] = [];
  for (const m of html.matchAll(A_RE)) hrefs.push(m[1] ?? m[2] ?? m[3] ?? '');
  const t = TITLE_RE.exec(html);
  const b = BASE_RE.exec(html);
  return {
    title: t ? collapse(t[1] ?? '') : null,
    hrefs,
    baseHref: b ? (b[1] ?? b[2] ?? b[3] ?? null) : null,
  };
}

// Optional parsers, loaded by a computed specifier so that type-checking does
// not depend on them being installed. ------------------------------------------
async function optional<T>(name: string): Promise<T | null> {
  try {
    return (await import(name)) as T;
  } catch {
    return null;
  }
}

interface P5Attr {
  name: string;
  value: string;
}
interface P5Node {
  nodeName: string;
  attrs?: P5Attr[];
  childNodes?: P5Node[];
  content?: P5Node;
  value?: string;
}
interface Parse5Module {
  parse(html: string): P5Node;
}
interface SaxToken {
  tagName: string;
  attrs: P5Attr[];
}
interface SaxParser {
  on(ev: 'startTag' | 'endTag', fn: (t: SaxToken) => void): void;
  on(ev: 'text', fn: (t: { text: string }) => void): void;
  end(chunk: string, cb: () => void): void;
}
interface SaxModule {
  SAXParser: new () => SaxParser;
}
interface NhpNode {
  nodeType: number;
  rawTagName?: string;
  childNodes: NhpNode[];
  getAttribute?(k: string): string | undefined;
  text: string;
}
interface NhpModule {
  parse(html: string, options?: Record<string, unknown>): NhpNode;
}

const attr = (attrs: P5Attr[] | undefined, name: string): string | undefined => {
  if (attrs) for (const a of attrs) if (a.name === name) return a.value;
  return undefined;
};

function parse5Full(mod: Parse5Module): Parse {
  const text = (n: P5Node): string => {
    if (n.nodeName === '#text') return n.value ?? '';
    let s = '';
    for (const c of n.childNodes ?? []) s += text(c);
    return s;
  };
  return (html) => {
    const out: ParsedHtml = { title: null, hrefs: [], baseHref: null };
    const walk = (nodes: P5Node[]): void => {
      for (const n of nodes) {
        if (n.attrs !== undefined) {
          if (n.nodeName === 'a') {
            const href = attr(n.attrs, 'href');
            if (href !== undefined) out.hrefs.push(href);
          } else if (n.nodeName === 'title') {
            if (out.title === null) out.title = collapse(text(n));
            continue;
          } else if (n.nodeName === 'base' && out.baseHref === null) {
            const href = attr(n.attrs, 'href');
            if (href !== undefined) out.baseHref = href;
          }
        }
        if (n.childNodes) walk(n.childNodes);
        if (n.content?.childNodes) walk(n.content.childNodes);
      }
    };
    walk(mod.parse(html).childNodes ?? []);
    return out;
  };
}

function parse5Sax(mod: SaxModule): Parse {
  return (html) =>
    new Promise((resolve) => {
      const out: ParsedHtml = { title: null, hrefs: [], baseHref: null };
      let inTitle = false;
      let titleText = '';
      const p = new mod.SAXParser();
      p.on('startTag', (t) => {
        if (t.tagName === 'a') {
          const href = attr(t.attrs, 'href');
          if (href !== undefined) out.hrefs.push(href);
        } else if (t.tagName === 'title') {
          if (out.title === null) inTitle = true;
        } else if (t.tagName === 'base' && out.baseHref === null) {
          const href = attr(t.attrs, 'href');
          if (href !== undefined) out.baseHref = href;
        }
      });
      p.on('text', (t) => {
        if (inTitle) titleText += t.text;
      });
      p.on('endTag', (t) => {
        if (inTitle && t.tagName === 'title') {
          inTitle = false;
          out.title = collapse(titleText);
        }
      });
      p.end(html, () => resolve(out));
    });
}

function nodeHtmlParser(mod: NhpModule): Parse {
  const options = { comment: false, lowerCaseTagName: false };
  return (html) => {
    const out: ParsedHtml = { title: null, hrefs: [], baseHref: null };
    const walk = (nodes: NhpNode[]): void => {
      for (const n of nodes) {
        if (n.nodeType !== 1) continue;
        const tag = n.rawTagName?.toLowerCase();
        if (tag === 'a') {
          const href = n.getAttribute?.('href');
          if (href !== undefined) out.hrefs.push(href);
        } else if (tag === 'title') {
          if (out.title === null) out.title = collapse(n.text);
          continue;
        } else if (tag === 'base' && out.baseHref === null) {
          const href = n.getAttribute?.('href');
          if (href !== undefined) out.baseHref = href;
        }
        walk(n.childNodes);
      }
    };
    walk(mod.parse(html, options).childNodes);
    return out;
  };
}

// ---------------------------------------------------------------------------

function argNum(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : dflt;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

async function main(): Promise<void> {
  const nPages = argNum('--pages', 2000);
  const runs = argNum('--runs', 5);
  const origin = 'http://127.0.0.1:8080';

  const site = generateSite({ pages: Math.ceil(nPages * 1.03) + 30 });
  const docs: string[] = [];
  const views: string[] = [];
  const truth: ParsedHtml[] = [];
  let bytes = 0;
  for (const page of site.pages.values()) {
    if (page.kind === 'pdf' || page.kind === 'redirect' || page.body === undefined) continue;
    const body = withOrigin(page.body, origin);
    bytes += body.length;
    docs.push(body.toString('utf8'));
    views.push(body.toString('latin1'));
    truth.push({
      title: page.title ?? null,
      hrefs: (page.hrefs ?? []).map((h) => h.split(ORIGIN_PLACEHOLDER).join(origin)),
      baseHref: page.baseHref?.split(ORIGIN_PLACEHOLDER).join(origin) ?? null,
    });
    if (docs.length >= nPages) break;
  }
  const mb = bytes / 1048576;
  console.log(
    `${docs.length} pages, ${mb.toFixed(1)} MiB (${(bytes / docs.length / 1024).toFixed(1)} KiB avg), ` +
      `${truth.reduce((n, t) => n + t.hrefs.length, 0)} links; node ${process.version}; ${runs} timed runs after 1 warm-up\n`,
  );

  const candidates: Candidate[] = [
    {
      name: '(a) parse-html.ts, latin1 view (as the worker runs it)',
      parse: (markup) => parseHtml({ markup, text: utf8FromLatin1, latin1View: true }),
      latin1View: true,
    },
    {
      name: '(a) parse-html.ts on decoded text',
      parse: (markup) => parseHtml({ markup, text: (raw) => raw, latin1View: false }),
    },
    { name: '(d) htmlparser2.parseDocument + walk', parse: htmlparser2Dom },
  ];
  const skipped: string[] = [];
  const sax = await optional<SaxModule>(['parse5', 'sax', 'parser'].join('-'));
  if (sax)
    candidates.push({
      name: '(b) parse5-sax-parser',
      parse: parse5Sax(sax),
      note: 'async (stream)',
    });
  else skipped.push('parse5-sax-parser');
  const p5 = await optional<Parse5Module>(['parse5'].join(''));
  if (p5) candidates.push({ name: '(b) parse5.parse (full tree) + walk', parse: parse5Full(p5) });
  else skipped.push('parse5');
  const nhp = await optional<NhpModule>(['node', 'html', 'parser'].join('-'));
  if (nhp) candidates.push({ name: '(c) node-html-parser + walk', parse: nodeHtmlParser(nhp) });
  else skipped.push('node-html-parser');
  candidates.push({ name: '(e) regex (incorrect lower bound)', parse: regex });
  if (skipped.length) console.log(`skipped (not installed): ${skipped.join(', ')}\n`);

  // Warm-up pass + verification against (a) and against the generator's truth.
  const reference: ParsedHtml[] = [];
  const checks = new Map<string, string>();
  for (const c of candidates) {
    let countDiff = 0;
    let valueDiff = 0;
    let titleDiff = 0;
    let baseDiff = 0;
    let example = '';
    for (let i = 0; i < docs.length; i++) {
      const r = await c.parse((c.latin1View ? views : docs)[i] ?? '');
      if (c === candidates[0]) reference.push(r);
      const ref = c === candidates[0] ? truth[i] : reference[i];
      if (ref === undefined) continue;
      if (r.hrefs.length !== ref.hrefs.length) {
        countDiff++;
        if (!example) {
          const extra = r.hrefs.filter((h) => !ref.hrefs.includes(h));
          const missing = ref.hrefs.filter((h) => !r.hrefs.includes(h));
          example = `${r.hrefs.length} vs ${ref.hrefs.length} links; extra ${JSON.stringify(extra.slice(0, 2))} missing ${JSON.stringify(missing.slice(0, 2))}`;
        }
      } else if (r.hrefs.some((h, j) => h !== ref.hrefs[j])) {
        valueDiff++;
        if (!example) {
          const j = r.hrefs.findIndex((h, k) => h !== ref.hrefs[k]);
          example = `href ${JSON.stringify(r.hrefs[j])} vs ${JSON.stringify(ref.hrefs[j])}`;
        }
      }
      if (r.title !== ref.title) titleDiff++;
      if (r.baseHref !== ref.baseHref) baseDiff++;
    }
    const against = c === candidates[0] ? 'generator truth' : '(a)';
    const ok = countDiff + valueDiff + titleDiff + baseDiff === 0;
    checks.set(
      c.name,
      ok
        ? `= ${against}`
        : `vs ${against}: count ${countDiff}, hrefs ${valueDiff}, title ${titleDiff}, base ${baseDiff} pages` +
            (example ? ` (e.g. ${example})` : ''),
    );
  }

  // Timed runs, interleaved so drift (thermal, GC state) hits every parser alike.
  const times = new Map<string, number[]>(candidates.map((c) => [c.name, []]));
  const decode: number[] = [];
  const raw = Buffer.from(docs.join(''), 'utf8');
  for (let r = 0; r < runs; r++) {
    for (const c of candidates) {
      const t0 = performance.now();
      let sink = 0;
      for (const d of c.latin1View ? views : docs) sink += (await c.parse(d)).hrefs.length;
      times.get(c.name)?.push(performance.now() - t0);
      if (sink < 0) console.log(sink);
    }
    const t0 = performance.now();
    raw.toString('utf8');
    decode.push(performance.now() - t0);
  }

  const rows: string[][] = [['parser', 'pages/s', 'MiB/s', 'ms/page', 'vs (a)', 'output check']];
  const base = median(times.get(candidates[0]?.name ?? '') ?? []);
  for (const c of candidates) {
    const ms = median(times.get(c.name) ?? []);
    rows.push([
      c.name + (c.note ? ` [${c.note}]` : ''),
      ((docs.length / ms) * 1000).toFixed(0),
      ((mb / ms) * 1000).toFixed(1),
      (ms / docs.length).toFixed(3),
      `${(base / ms).toFixed(2)}x`,
      checks.get(c.name) ?? '',
    ]);
  }
  const dm = median(decode);
  rows.push([
    '(ref) Buffer -> string utf8 decode only',
    ((docs.length / dm) * 1000).toFixed(0),
    ((mb / dm) * 1000).toFixed(1),
    (dm / docs.length).toFixed(3),
    '',
    '',
  ]);
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  for (const [i, r] of rows.entries()) {
    console.log(
      '| ' +
        r
          .map((cell, j) =>
            j >= 1 && j <= 4 ? cell.padStart(widths[j] ?? 0) : cell.padEnd(widths[j] ?? 0),
          )
          .join(' | ') +
        ' |',
    );
    if (i === 0)
      console.log(
        '|' +
          widths
            .map((w, j) => (j >= 1 && j <= 4 ? '-'.repeat(w + 1) + ':' : '-'.repeat(w + 2)))
            .join('|') +
          '|',
      );
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
