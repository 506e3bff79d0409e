import { describe, expect, it } from 'vitest';
import { analyzePage, linkRulesFor } from '../../electron/worker/analyze-page';
import { htmlSource } from '../../electron/worker/html-source';
import { parseHtml } from '../../electron/worker/parse-html';
import { DEFAULT_URL_RULES } from '../../shared/url-normalize';

const rules = linkRulesFor({
  scope: { scope: 'host', startUrls: ['http://site.test/'], include: [], exclude: [] },
  urls: DEFAULT_URL_RULES,
  honourNofollow: true,
  robotsAgent: 'Trawl',
});

function encode(text: string, encoding: string): Buffer {
  // Node can decode these legacy encodings but not encode them: build the
  // bytes by hand for the characters used below.
  const bytes: Record<string, Record<string, number[]>> = {
    gbk: { 中: [0xd6, 0xd0], 文: [0xce, 0xc4] },
    shift_jis: { 日: [0x93, 0xfa], 本: [0x96, 0x7b], 表: [0x95, 0x5c] },
    'windows-1251': { П: [0xcf], р: [0xf0], и: [0xe8], в: [0xe2], е: [0xe5], т: [0xf2] },
    'iso-8859-1': { é: [0xe9], ü: [0xfc] },
  };
  const out: number[] = [];
  for (const char of text) out.push(...(bytes[encoding]?.[char] ?? [char.charCodeAt(0)]));
  return Buffer.from(out);
}

describe('parseHtml', () => {
  it('returns decoded title, hrefs and base from UTF-8 bytes', () => {
    const html = `<html><head><title> Café &amp; “quotes” — 中文 </title><base href="/b/?x=1&amp;y=2"></head>
      <body><A HREF='/a?x=1&amp;y=2'>a</A><a href=/plain>b</a><a href="/caf%C3%A9/é">c</a><a>no href</a>
      <script>var s = '<a href="/in-script">';</script><!-- <a href="/in-comment"> --></body></html>`;
    const parsed = parseHtml(htmlSource(Buffer.from(html, 'utf8'), 'text/html; charset=utf-8'));
    expect(parsed).toMatchObject({
      title: 'Café & “quotes” — 中文',
      hrefs: ['/a?x=1&y=2', '/plain', '/caf%C3%A9/é'],
      baseHref: '/b/?x=1&y=2',
    });
  });

  it.each([
    ['gbk', 'text/html; charset=gbk', '中文'],
    ['shift_jis', 'text/html; charset=Shift_JIS', '日本表'],
    ['windows-1251', 'text/html; charset=windows-1251', 'Привет'],
    ['iso-8859-1', 'text/html; charset=ISO-8859-1', 'éü'],
  ])('decodes a %s title named in Content-Type', (encoding, contentType, title) => {
    const body = encode(`<title>${title}</title><a href="/${title}">x</a>`, encoding);
    const parsed = parseHtml(htmlSource(body, contentType));
    expect(parsed.title).toBe(title);
    expect(parsed.hrefs).toEqual([`/${title}`]);
  });

  it.each([
    ['<meta charset="gbk">', 'text/html'],
    ['<meta http-equiv="Content-Type" content="text/html; charset=GBK">', 'text/html'],
  ])('reads the charset from %s when the header has none', (meta, contentType) => {
    const body = Buffer.concat([
      Buffer.from(`<head>${meta}<title>`),
      encode('中文', 'gbk'),
      Buffer.from('</title>'),
    ]);
    expect(parseHtml(htmlSource(body, contentType)).title).toBe('中文');
  });

  it('lets a byte order mark win over the header', () => {
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('<title>Ω</title>', 'utf16le'),
    ]);
    expect(parseHtml(htmlSource(utf16, 'text/html; charset=iso-8859-1')).title).toBe('Ω');
    const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<title>Ω</title>')]);
    expect(parseHtml(htmlSource(utf8, 'text/html; charset=windows-1252')).title).toBe('Ω');
  });

  it('reads windows-1252 and ISO-8859-1 as browsers do: quotes, dashes and the euro sign', () => {
    // Bob’s Café – “Best” € 5, in windows-1252 bytes (0x80-0x9F are where latin1 has controls).
    const title = Buffer.from([
      ...Buffer.from('Bob'),
      0x92,
      ...Buffer.from('s Caf'),
      0xe9,
      0x20,
      0x96,
      0x20,
      0x93,
      ...Buffer.from('Best'),
      0x94,
      0x20,
      0x80,
      ...Buffer.from(' 5'),
    ]);
    const page = (head: string) =>
      Buffer.concat([Buffer.from(`<head>${head}<title>`), title, Buffer.from('</title>')]);
    for (const [body, contentType] of [
      [page(''), 'text/html; charset=windows-1252'],
      [page(''), 'text/html; charset=ISO-8859-1'],
      [page('<meta charset="windows-1252">'), 'text/html'],
      [page('<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'), null],
    ] as const) {
      const source = htmlSource(body, contentType);
      expect(source.encoding).toBe('windows-1252');
      expect(parseHtml(source).title).toBe('Bob’s Café – “Best” € 5');
    }
  });

  it('falls back to UTF-8 for a missing or unknown charset', () => {
    const body = Buffer.from('<title>naïve</title>');
    expect(parseHtml(htmlSource(body, 'text/html')).title).toBe('naïve');
    expect(parseHtml(htmlSource(body, 'text/html; charset=klingon')).title).toBe('naïve');
    expect(parseHtml(htmlSource(body, null)).title).toBe('naïve');
  });

  it('has no title when there is no title element', () => {
    expect(parseHtml(htmlSource(Buffer.from('<p>hi</p>'), null)).title).toBeNull();
  });

  it('takes no title from inline SVG or MathML, as document.title does not', () => {
    const title = (html: string) => parseHtml(htmlSource(Buffer.from(html), null)).title;
    const icon = '<svg viewBox="0 0 1 1"><g><title>Close icon</title></g><path/></svg>';
    expect(title(`<head></head><body>${icon}<p>text</p></body>`)).toBeNull();
    expect(title('<body><math><mi>x</mi><title>formula</title></math></body>')).toBeNull();
    // The HTML title after foreign content (even a self-closed <svg/>) still counts.
    expect(title(`${icon}<svg/><title>Page</title><svg><title>x</title></svg>`)).toBe('Page');
  });
});

describe('analyzePage', () => {
  it('keeps in-scope http(s) links once each, resolved against <base>', () => {
    const html = `<base href="http://site.test/dir/">
      <a href="page">1</a><a href="./page#top">2</a><a href="../up?">3</a>
      <a href="http://SITE.test:80/dir/page">4</a><a href="http://other.test/">5</a>
      <a href="mailto:x@site.test">6</a><a href="javascript:void(0)">7</a><a href=" /spaced ">8</a>
      <a href="//other.test/x">9</a><a href="/\\other.test/y">10</a><a href="HTTPS://site.test/dir/page">11</a>`;
    const analysis = analyzePage(Buffer.from(html), 'text/html', 'http://site.test/start', rules);
    // Host scope takes either scheme: https://site.test is the same host.
    expect(analysis.links).toEqual([
      'http://site.test/dir/page',
      'http://site.test/up',
      'http://site.test/spaced',
      'https://site.test/dir/page',
    ]);
    expect(analysis.linkCount).toBe(11);
  });

  it('ignores a UTF-8 byte order mark, as browsers do: no word, no change of content hash', () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const analyze = (html: string, withBom: boolean) =>
      analyzePage(
        Buffer.concat([withBom ? bom : Buffer.alloc(0), Buffer.from(html)]),
        'text/html',
        'http://site.test/',
        rules,
      );
    for (const html of ['<p>Hello world</p>', 'Hello <b>world</b>']) {
      const plain = analyze(html, false);
      const marked = analyze(html, true);
      expect(marked.wordCount).toBe(2);
      expect(marked.contentHash).toBe(plain.contentHash);
      expect(marked.charset).toBe('utf-8');
    }
  });

  it('honours rel=nofollow and meta robots nofollow unless told not to', () => {
    const html = `<a href="/a" rel="nofollow">a</a><a href="/b" rel="external NoFollow">b</a><a href="/c">c</a>`;
    const page = (markup: string, honourNofollow: boolean) =>
      analyzePage(Buffer.from(markup), 'text/html', 'http://site.test/', {
        ...rules,
        honourNofollow,
      }).links;
    expect(page(html, true)).toEqual(['http://site.test/c']);
    expect(page(html, false)).toEqual([
      'http://site.test/a',
      'http://site.test/b',
      'http://site.test/c',
    ]);
    const robots = `<meta name="ROBOTS" content="noindex, nofollow">${html}`;
    expect(page(robots, true)).toEqual([]);
    expect(page(robots, false)).toHaveLength(3);
    expect(page(`<meta name="robots" content="none"><a href="/x">x</a>`, true)).toEqual([]);
    // Whole directives only, and none aimed at another crawler.
    const other = `<meta name="robots" content="otherbot: nofollow, max-image-preview:none">`;
    expect(page(`${other}<a href="/x">x</a>`, true)).toEqual(['http://site.test/x']);
  });

  it("encodes a link's query in the page's encoding, as a browser requests it; the path stays UTF-8", () => {
    const links = `<base href="/dir/?b=é"><link rel="canonical" href="/c?q=é">
      <meta http-equiv="refresh" content="5; url='/next?q=é'">
      <a href="/é?q=é&amp;r=&#26085;#é">1</a><a href="?q=é">2</a><a href="/x#?q=é">3</a>
      <a href="http://site.test/a?q=caf%C3%A9é">4</a>`;
    // windows-1252 has é (0xE9) but no 日: a browser sends that as "&#26085;".
    const latin = analyzePage(
      Buffer.from(links, 'latin1'),
      'text/html; charset=windows-1252',
      'http://site.test/',
      rules,
    );
    expect(latin.links).toEqual([
      'http://site.test/%C3%A9?q=%E9&r=%26%2326085%3B',
      'http://site.test/dir/?q=%E9',
      'http://site.test/x',
      'http://site.test/a?q=caf%C3%A9%E9',
    ]);
    expect(latin.canonical).toBe('http://site.test/c?q=%E9');
    expect(latin.metaRefresh).toBe('http://site.test/next?q=%E9');
    const sjis = analyzePage(
      encode('<a href="/日本?q=日本">1</a>', 'shift_jis'),
      'text/html; charset=Shift_JIS',
      'http://site.test/',
      rules,
    );
    // 本 is 0x96 0x7B in Shift_JIS, and "{" needs no escape in a query.
    expect(sjis.links).toEqual(['http://site.test/%E6%97%A5%E6%9C%AC?q=%93%FA%96{']);
    const utf8 = analyzePage(Buffer.from(links), 'text/html', 'http://site.test/', rules);
    expect(utf8.links[0]).toBe('http://site.test/%C3%A9?q=%C3%A9&r=%E6%97%A5');
    expect(utf8.canonical).toBe('http://site.test/c?q=%C3%A9');
  });
});
