import { describe, expect, it } from 'vitest';
import { analyzePage, linkRulesFor } from '../../electron/worker/analyze-page';
import { canonicalFromLinkHeader, storedHeaders } from '../../electron/worker/response-headers';
import { MAX_OUTLINKS_PER_PAGE, MAX_STORED_TEXT } from '../../shared/limits';
import { DEFAULT_URL_RULES, type UrlRules } from '../../shared/url-normalize';
import { outlinkColumns } from '../../shared/outlinks';

function analyze(
  html: string,
  options: { urls?: Partial<UrlRules>; include?: string[]; contentType?: string } = {},
) {
  const rules = linkRulesFor({
    scope: {
      scope: 'host',
      startUrls: ['http://site.test/'],
      include: options.include ?? [],
      exclude: [],
    },
    urls: { ...DEFAULT_URL_RULES, ...options.urls },
    honourNofollow: true,
    robotsAgent: 'Trawl',
  });
  return analyzePage(
    Buffer.from(html),
    options.contentType ?? 'text/html; charset=utf-8',
    'http://site.test/dir/page',
    rules,
  );
}

const SEO_PAGE = `<!doctype html><html lang="de-AT"><head>
  <title>  Shop &amp; more </title>
  <meta name="description" content="Best   shop &mdash; in town">
  <meta name="robots" content="noindex">
  <meta name="ROBOTS" content="nofollow">
  <link rel="canonical" href="/canonical?x=1#frag">
  <link rel="alternate" hreflang="en" href="https://site.test/en/">
  <link rel="alternate" hreflang="x-default" href="/">
  <style>.hidden { word: count }</style>
  <script>var notCounted = "three more words";</script>
</head><body>
  <h1>  Main <em>title</em> </h1><h1>Second</h1>
  <h2>A</h2><h2>B</h2><h2>C</h2>
  <p>One two&nbsp;three.</p><p>Four — five</p>
  <img src="a.png"><img src="b.png" alt=""><img src="c.png" alt="  "><img src="d.png" alt="described">
  <noscript>not visible</noscript>
</body></html>`;

describe('page fields from HTML', () => {
  it('reads title, description, robots, canonical, hreflang, lang, headings and images', () => {
    const page = analyze(SEO_PAGE);
    expect(page).toMatchObject({
      charset: 'utf-8',
      title: 'Shop & more',
      metaDescription: 'Best shop — in town',
      metaRobots: 'noindex, nofollow',
      canonical: 'http://site.test/canonical?x=1',
      hreflang: [
        { lang: 'en', url: 'https://site.test/en/' },
        { lang: 'x-default', url: 'http://site.test/' },
      ],
      lang: 'de-AT',
      h1: 'Main title',
      h1Count: 2,
      h2Count: 3,
      imagesWithoutAlt: 3,
    });
  });

  it('counts visible words only: not script, style, title or noscript; tags between blocks separate words', () => {
    // Main title | Second | A | B | C | One two&nbsp;three. | Four — five ("—" alone is no word)
    expect(analyze(SEO_PAGE).wordCount).toBe(2 + 1 + 3 + 2 + 2);
    expect(analyze('<p>foo<b>bar</b></p><p>baz</p>').wordCount).toBe(2);
    expect(analyze('<div>a</div><div>b</div>\n<span>c</span> <span>d</span>').wordCount).toBe(4);
  });

  it('hashes the visible text: equal for the same text in other markup, different for other text', () => {
    const a = analyze('<title>A</title><body><p>Hello   world</p>\n<p>again</p></body>');
    const b = analyze('<title>B</title><body>\n  <div>Hello world</div><div>again</div>\n</body>');
    const c = analyze('<body><p>Hello world</p><p>again!</p></body>');
    expect(a.contentHash).toMatch(/^[0-9a-f]{40}$/);
    expect(b.contentHash).toBe(a.contentHash);
    expect(c.contentHash).not.toBe(a.contentHash);
  });

  it('has empty fields for a page without them', () => {
    const page = analyze('<p>hi</p>');
    expect(page).toMatchObject({
      title: null,
      metaDescription: null,
      metaRobots: null,
      canonical: null,
      h1: null,
      h1Count: 0,
      h2Count: 0,
      hreflang: [],
      lang: null,
      wordCount: 1,
      imagesWithoutAlt: 0,
      outlinks: outlinkColumns([]),
    });
  });

  it('names the charset the page was decoded with', () => {
    const body = '<meta charset="windows-1251"><title>x</title>';
    expect(analyze(body, { contentType: 'text/html' }).charset).toBe('windows-1251');
    expect(
      analyze('<title>x</title>', { contentType: 'text/html; charset=iso-8859-1' }).charset,
    ).toBe('windows-1252');
  });

  it("counts <image> as the <img> a browser makes of it, not SVG's <image>", () => {
    const images = '<image src="a.png"><image src="b.png" alt="B"><svg><image href="c.png"/></svg>';
    expect(analyze(images).imagesWithoutAlt).toBe(1);
  });

  it('reads <iframe>, <noembed> and <noframes> content as raw text, as a browser does: no link, title, heading, robots tag or words', () => {
    for (const element of ['iframe', 'noembed', 'NOFRAMES']) {
      const page = analyze(`<head>
        <${element}><title>Inner</title><meta name="robots" content="noindex"></${element}>
        <title>Page</title></head><body>
        <${element} src="/frame"><h1>Fallback</h1><p>No <a href="/fallback">frames</a></p></${element} >
        <h1>Main</h1><p><a href="/after">after</a></p></body>`);
      expect(page, element).toMatchObject({
        title: 'Page',
        metaRobots: null,
        h1: 'Main',
        h1Count: 1,
        linkCount: 1,
        wordCount: 2,
      });
    }
    // A <script> inside is text too: the iframe ends at its own end tag.
    expect(analyze('<iframe><script></iframe><a href="/next">next</a>').linkCount).toBe(1);
    // A crawler reads pages without scripts, which see <noscript> content as markup.
    expect(analyze('<noscript><a href="/plain">plain</a></noscript>')).toMatchObject({
      linkCount: 1,
      wordCount: 0,
    });
  });

  it('ends the h1 at the next heading, as a browser does, unless that heading is inside an element of the h1', () => {
    expect(analyze('<h1>Main<h2>Sub</h2><p>text</p>')).toMatchObject({
      h1: 'Main',
      h1Count: 1,
      h2Count: 1,
      wordCount: 3,
    });
    expect(analyze('<h1>First<h1>Second</h1>')).toMatchObject({ h1: 'First', h1Count: 2 });
    expect(analyze('<h1>Main<br><img alt=""> title<h3>x</h3>').h1).toBe('Main title');
    expect(analyze('<h1><span>Main <h2>sub</h2></span> end</h1>').h1).toBe('Main sub end');
  });

  it('ends the h1 at the end tag of any heading, as a browser does, not at the page end', () => {
    expect(analyze('<h1>Title</h2><p>Body text</p>')).toMatchObject({
      h1: 'Title',
      h1Count: 1,
      h2Count: 0,
      wordCount: 3,
    });
    expect(analyze('<h1><span>Title</h3> more</span>').h1).toBe('Title');
    // That end tag ends the innermost heading: here the h2 inside the h1.
    expect(analyze('<h1><span><h2>Sub</h3> rest</span></h1> after').h1).toBe('Sub rest');
  });

  it('ends a comment at --!>, as a browser does, where the links and text up to the next --> were lost', () => {
    expect(
      analyze('<p>one<!-- note --!> <a href="/kept">two</a> three <!-- end --></p>'),
    ).toMatchObject({
      linkCount: 1,
      wordCount: 3,
    });
    // In <!--!> the dashes open the comment, which a browser ends at -->.
    expect(analyze('<!--!> <a href="/hidden">hidden</a> --> shown')).toMatchObject({
      linkCount: 0,
      wordCount: 1,
    });
  });

  it('reads an end tag that starts with a space as a comment, as a browser does, and </> as nothing', () => {
    // `</ h1>` and `</ p>` end nothing, and separate no words.
    expect(analyze('<h1>Main </ h1>title</h1><p>one</ p>two</p>')).toMatchObject({
      h1: 'Main title',
      wordCount: 3,
    });
    expect(analyze('<p>one</>two</p>').contentHash).toBe(analyze('<p>onetwo</p>').contentHash);
  });

  it('reads the content of a self-closed <iframe/>, <script/> or <title/> as raw text: a browser ignores the slash', () => {
    expect(
      analyze('<iframe src="/f"/><a href="/fallback">fallback</a></iframe><p>Main</p>'),
    ).toMatchObject({
      linkCount: 0,
      wordCount: 1,
    });
    expect(analyze('<script src="/a.js"/><a href="/in">in</a></script><p>Main</p>')).toMatchObject({
      linkCount: 0,
      wordCount: 1,
    });
    expect(analyze('<title/>Shop <b>now</b></title>').title).toBe('Shop <b>now</b>');
    // In SVG the slash closes the element.
    expect(analyze('<svg><script/></svg><a href="/after">after</a>').linkCount).toBe(1);
  });

  it('leaves SVG and MathML after a self-closed <svg/> or <math/>: <script/> and <iframe/> after it open raw text', () => {
    for (const element of ['svg', 'math']) {
      const markup = `<p>Intro</p><${element}/><script src="/a.js"/>var ad = "<a href='/ad'>";</script>
        <iframe src="/f"/><a href="/fallback">fallback</a></iframe><p>Main <a href="/next">next</a></p>`;
      expect(analyze(markup), element).toMatchObject({ linkCount: 1, wordCount: 3 });
    }
  });

  it("closes a self-closed <title/> in SVG, as a browser does: the graphic's text after it counts", () => {
    expect(
      analyze('<svg><title/><text>Sales chart</text><a href="/sales">2026</a></svg><p>Body</p>'),
    ).toMatchObject({ title: null, linkCount: 1, wordCount: 4 });
  });

  it('reads the content of <foreignObject> in SVG as HTML, as a browser does: <iframe> is raw text, <title> the title', () => {
    const markup =
      '<svg><foreignObject><iframe><a href="/f">f</a></iframe><title>Page</title></foreignObject></svg>';
    expect(analyze(markup)).toMatchObject({ title: 'Page', linkCount: 0, wordCount: 0 });
  });

  it('ends no h1 at a heading end tag inside a table cell: a browser ignores it there', () => {
    expect(
      analyze(
        '<h1>Specs <table><tr><td>Weight</h2> 2 kg</td></tr></table> and more</h1><p>Body</p>',
      ),
    ).toMatchObject({ h1: 'Specs Weight 2 kg and more', h1Count: 1 });
    // Outside the table it ends the h1.
    expect(analyze('<h1>Specs <table><tr><td>Weight</td></tr></table></h2> more').h1).toBe(
      'Specs Weight',
    );
  });

  it('ignores a <td> or <tr> outside any table, as a browser does: a heading end tag after it ends the h1', () => {
    expect(analyze('<h1>Specs<td> and prices</h1><p>Body</p>').h1).toBe('Specs and prices');
    expect(analyze('<h1>Specs<tr/> and prices</h2><p>Body</p>').h1).toBe('Specs and prices');
    // In a table it is a cell, which the heading end tag cannot reach past.
    expect(analyze('<h1>Specs <table><td>Weight</h1> 2 kg</table>').h1).toBe('Specs Weight 2 kg');
  });

  it('reads <textarea> and <xmp> content as text, also after <textarea/> or <xmp/>: no links, words as shown', () => {
    for (const element of ['textarea', 'xmp']) {
      const page = analyze(`<${element}/><a href="/in">in</a></${element}>
        <${element}><a href="/in2">in</a></${element}><a href="/out">out</a>`);
      expect(page, element).toMatchObject({ linkCount: 1, wordCount: 5 });
    }
    // In SVG the slash closes the element.
    expect(analyze('<svg><textarea/></svg><a href="/after">after</a>').linkCount).toBe(1);
  });

  it('reads <![CDATA[ outside SVG and MathML as a comment ending at the first >, as a browser does, where the links up to ]]> were lost', () => {
    expect(analyze('<p>Intro<![CDATA[ note > <a href="/kept">kept</a> ]]> end</p>')).toMatchObject({
      linkCount: 1,
      wordCount: 3,
    });
    // In SVG it is text: the graphic's words count.
    expect(analyze('<svg><text><![CDATA[Sales > 5% <up>]]></text></svg>').wordCount).toBe(3);
  });

  it('ends SVG and MathML at an HTML start tag such as <div>, as a browser does: a <title> after it is the page title', () => {
    expect(analyze('<svg><div/>x<title>Page</title>').title).toBe('Page');
    expect(analyze('<math><mrow><p>Body<title>Page</title></p></mrow></math>').title).toBe('Page');
    // An <image> after it is the <img> a browser makes of it.
    expect(analyze('<svg><g><br><image src="a.png"></g></svg>').imagesWithoutAlt).toBe(1);
    // <font> ends them only with a color, face or size.
    expect(analyze('<svg><font size="2"><title>Page</title></font></svg>').title).toBe('Page');
    expect(analyze('<svg><font><title>Chart</title></font></svg>').title).toBeNull();
    // Not inside <foreignObject>, whose content is HTML already: the SVG goes on.
    expect(
      analyze('<svg><foreignObject><div>Note</div></foreignObject><title>Chart</title></svg>')
        .title,
    ).toBeNull();
  });

  it('ends SVG and MathML at </br> and at </p>, as a browser does: a <title> after them is the page title', () => {
    expect(analyze('<svg><g></br><title>Page</title></g></svg>').title).toBe('Page');
    expect(analyze('<math><mrow></P ><title>Page</title></mrow></math>').title).toBe('Page');
    // Not inside <foreignObject>, whose content is HTML already, nor at another end tag.
    expect(
      analyze('<svg><foreignObject></p></foreignObject><title>Chart</title></svg>').title,
    ).toBeNull();
    expect(analyze('<svg><g></b></body><title>Chart</title></g></svg>').title).toBeNull();
  });

  it('reads all that follows <plaintext> as text, as a browser does', () => {
    expect(
      analyze('<p>Before</p><plaintext><a href="/x">x</a> <title>T</title></plaintext>'),
    ).toMatchObject({ linkCount: 0, title: null, wordCount: 4 });
  });
});

describe('outlinks', () => {
  it('records every http(s) link in order with anchor text, rel and internal, follows only what it may', () => {
    const page = analyze(`
      <a href="/a">  Alpha
        <b>beta</b> &amp; gamma </a>
      <a href="/a">again</a>
      <a href="https://other.test/x" rel="nofollow external">Other</a>
      <a href="/img"><img src="i.png" alt=" Logo  image "></a>
      <a href="/empty"></a>
      <a href="mailto:x@site.test">mail</a>
      <a href="/nf" rel="nofollow">no</a>`);
    expect(page.outlinks).toEqual(
      outlinkColumns([
        { url: 'http://site.test/a', text: 'Alpha beta & gamma', rel: null, internal: true },
        { url: 'http://site.test/a', text: 'again', rel: null, internal: true },
        { url: 'https://other.test/x', text: 'Other', rel: 'nofollow external', internal: false },
        { url: 'http://site.test/img', text: 'Logo image', rel: null, internal: true },
        { url: 'http://site.test/empty', text: '', rel: null, internal: true },
        { url: 'http://site.test/nf', text: 'no', rel: 'nofollow', internal: true },
      ]),
    );
    expect(page.links).toEqual([
      'http://site.test/a',
      'http://site.test/img',
      'http://site.test/empty',
    ]);
    expect(page.linkCount).toBe(7);
  });

  it("ends a link's text at the next <a> start tag, as a browser does, also one without an href", () => {
    const page = analyze(
      '<p><a href="/one">one <a name="two">two</a> three</a> <a href="/4">four</a></p>',
    );
    expect(page.outlinks.texts).toEqual(['one', 'four']);
  });

  it('marks links outside the boundary external even when include patterns skip internal ones', () => {
    const page = analyze('<a href="/keep/1">k</a><a href="/skip/1">s</a>', {
      include: ['/keep/'],
    });
    expect(page.outlinks.internal).toEqual([true, true]);
    expect(page.links).toEqual(['http://site.test/keep/1']);
  });

  it('caps anchor texts and the number of outlinks stored', () => {
    const long = 'word '.repeat(MAX_STORED_TEXT);
    const links = Array.from(
      { length: MAX_OUTLINKS_PER_PAGE + 5 },
      (_, n) => `<a href="/p${n}">${n}</a>`,
    );
    const page = analyze(`<a href="/long">${long}</a>${links.join('')}`);
    expect(page.outlinks.texts[0]!.length).toBe(MAX_STORED_TEXT);
    for (const column of Object.values(page.outlinks))
      expect(column).toHaveLength(MAX_OUTLINKS_PER_PAGE);
    expect(page.linkCount).toBe(MAX_OUTLINKS_PER_PAGE + 6);
    expect(page.links).toHaveLength(MAX_OUTLINKS_PER_PAGE + 6);
  });

  it('applies the URL rules: tracking parameters, query order, endless paths', () => {
    const html = `<a href="/x?utm_source=a&b=2&gclid=z&a=1">t</a>
      <a href="/a/b/a/b/a/b/a/b/">loop</a><a href="/a/b/a/b/a/b/">three times</a>`;
    const page = analyze(html, { urls: { stripTrackingParams: true, sortQueryParams: true } });
    expect(page.outlinks.urls).toEqual([
      'http://site.test/x?a=1&b=2',
      'http://site.test/a/b/a/b/a/b/a/b/',
      'http://site.test/a/b/a/b/a/b/',
    ]);
    expect(page.links).toEqual(['http://site.test/x?a=1&b=2', 'http://site.test/a/b/a/b/a/b/']);
    const plain = analyze(html);
    expect(plain.outlinks.urls[0]).toBe('http://site.test/x?utm_source=a&b=2&gclid=z&a=1');
  });
});

describe('response headers', () => {
  it('stores lowercased names, joins repeats and caps values', () => {
    expect(
      storedHeaders({
        'content-type': 'text/html',
        'set-cookie': ['a=1', 'b=2'],
        'x-long': 'v'.repeat(MAX_STORED_TEXT + 10),
      }),
    ).toEqual({
      'content-type': 'text/html',
      'set-cookie': 'a=1, b=2',
      'x-long': 'v'.repeat(MAX_STORED_TEXT),
    });
  });

  it.each([
    ['<https://site.test/c>; rel="canonical"', 'https://site.test/c'],
    ['</c>; rel=canonical', 'http://site.test/c'],
    ['</a>; rel="alternate"; hreflang="de", </b#x>; rel="next canonical"', 'http://site.test/b'],
    ['</a>; rel="alternate"', null],
    [undefined, null],
  ])('reads the canonical from Link: %s', (header, expected) => {
    expect(canonicalFromLinkHeader(header, 'http://site.test/page')).toBe(expected);
  });
});

describe('word count across encodings', () => {
  it.each([
    ['utf-8', Buffer.from('<p>Привет мир — 中文 « x » “quoted” …</p>'), 5],
    [
      'windows-1252',
      Buffer.from([...Buffer.from('<p>caf'), 0xe9, 0x20, 0x97, 0x20, 0x61, 0x3c]),
      2,
    ],
  ])('counts letters, not punctuation, in %s', (charset, body, words) => {
    const rules = linkRulesFor({
      scope: { scope: 'host', startUrls: ['http://site.test/'], include: [], exclude: [] },
      urls: DEFAULT_URL_RULES,
      honourNofollow: true,
      robotsAgent: 'Trawl',
    });
    const page = analyzePage(body, `text/html; charset=${charset}`, 'http://site.test/', rules);
    expect(page.wordCount).toBe(words);
  });
});
