import { describe, expect, it } from 'vitest';
import { extractionRuleSchema, parseExtractionSpec } from '../../shared/extraction';
import { loadCssExtraction } from '../../electron/worker/css-extract';
import { extract } from '../../electron/worker/extract';
import { htmlSource } from '../../electron/worker/html-source';

const page = `<html><head><title>Bugs</title></head><body>
  <table><tr><td class="title">Crash on &lt;save&gt;</td><td><a class="link" href="/b/1?x=1&amp;y=2">#1</a></td></tr>
  <tr><td class="title"> Wrong   café total </td><td><a class="link" href="/b/2">#2</a></td></tr></table>
  <div id="note"><b>Bold</b> &amp; plain</div></body></html>`;

const css = await loadCssExtraction();

const runOn = (markup: string, ...specs: string[]) =>
  extract(
    htmlSource(Buffer.from(markup, 'utf8'), 'text/html; charset=utf-8'),
    specs.map((spec) => extractionRuleSchema.parse(parseExtractionSpec(spec))),
    css,
  );
const run = (...specs: string[]) => runOn(page, ...specs);

describe('custom extraction', () => {
  it('takes text, attributes or inner HTML of the first or every CSS match', () => {
    expect(
      run(
        'first=css:td.title',
        'titles[]=css:td.title',
        'links[]=css:a.link@href',
        'note=css:#note@html',
      ),
    ).toEqual({
      first: 'Crash on <save>',
      titles: ['Crash on <save>', 'Wrong café total'],
      links: ['/b/1?x=1&y=2', '/b/2'],
      note: '<b>Bold</b> &amp; plain',
    });
  });

  it('takes the first capture group, or the whole match, of the first or every regex match', () => {
    expect(
      run('ids[]=regex:href="/b/(\\d+)', 'id=regex:/b/\\d+', 'none=regex:nothing here'),
    ).toEqual({
      ids: ['1', '2'],
      id: '/b/1',
      none: null,
    });
  });

  it('skips elements without the attribute asked for, whose name ignores case', () => {
    expect(
      run(
        'missing=css:td.title@data-missing',
        'allMissing[]=css:a.link@data-missing',
        'upper[]=css:a.link@HREF',
        'firstWithIt=css:td, a@href',
      ),
    ).toEqual({
      missing: null,
      allMissing: [],
      upper: ['/b/1?x=1&y=2', '/b/2'],
      // The first match is a <td>, which has no href: the first <a> answers.
      firstWithIt: '/b/1?x=1&y=2',
    });
  });

  it('matches on the tree a browser builds: a selector copied from DevTools finds the implied <tbody>', () => {
    expect(
      run('rows[]=css:table > tbody > tr > td.title', 'second=css:tbody > tr:nth-child(2) a@href'),
    ).toEqual({ rows: ['Crash on <save>', 'Wrong café total'], second: '/b/2' });
  });

  it('matches on the markup a browser reads, as the page fields do: <iframe> content is text, --!> ends a comment, </h2> the h1', () => {
    const markup =
      '<h1>Title</h2><p>Body</p><iframe><a href="/framed">f</a></iframe>' +
      '<!-- note --!><a href="/after">after</a>';
    expect(
      runOn(markup, 'h1=css:h1', 'links[]=css:a@href', 'framed[]=css:iframe a', 'frame=css:iframe'),
    ).toEqual({ h1: 'Title', links: ['/after'], framed: [], frame: '<a href="/framed">f</a>' });
  });

  it.each<[string, string, string[], Record<string, unknown>]>([
    [
      'after a self-closed <svg/>: a <div/> after it holds what follows, an SVG <title/> nothing',
      '<svg/><div/><p>In the div</p><svg><title/><text>Chart</text></svg>',
      ['div=css:div > p', 'chart=css:svg > text'],
      { div: 'In the div', chart: 'Chart' },
    ],
    [
      'in <foreignObject> as in HTML: <iframe> content is text there too',
      '<svg><foreignObject><iframe><a href="/f">f</a></iframe></foreignObject></svg>',
      ['framed[]=css:iframe a'],
      { framed: [] },
    ],
    [
      'with a heading end tag in a table cell: it ends nothing',
      '<h1>Specs <table><tr><td>Weight</h2> 2 kg</td></tr></table></h1><p>Body</p>',
      ['h1=css:h1', 'cell=css:td'],
      { h1: 'Specs Weight 2 kg', cell: 'Weight 2 kg' },
    ],
    [
      'with <textarea/> or <xmp/>: their content is text, no element',
      '<textarea/><a href="/in">in</a></textarea><xmp/><b>bold</b></xmp>',
      ['links[]=css:a@href', 'bold[]=css:xmp b', 'xmp=css:xmp'],
      { links: [], bold: [], xmp: '<b>bold</b>' },
    ],
    [
      'with <![CDATA[: a comment up to the first > in HTML, text in SVG',
      '<p><![CDATA[ a > <a href="/in">in</a> ]]></p><svg><text><![CDATA[x < y]]></text></svg>',
      ['links[]=css:a@href', 'text=css:svg > text'],
      { links: ['/in'], text: 'x < y' },
    ],
    [
      'with an HTML start tag in SVG: it ends the SVG, and the <p> the SVG is in',
      '<p>Intro<svg><g><div>Body</div><li>Item</li></g></svg>',
      ['inSvg[]=css:svg div, svg li', 'inP[]=css:p div', 'div=css:div + li'],
      { inSvg: [], inP: [], div: 'Item' },
    ],
    [
      'with </br> or </p> in SVG: they end the SVG, then make a <br> or an empty <p>',
      '<svg><g></br><text>A</text></g></svg><svg></p><text>B</text></svg>',
      ['inSvg[]=css:svg br, svg p, svg text', 'after[]=css:br + text, p + text'],
      { inSvg: [], after: ['A', 'B'] },
    ],
    [
      'with a <td> or <tr> outside any table: no element, as the start tag is ignored',
      '<p>Price<td>12 €</td></p><tr><th>Size</th></tr><template><td>t</td></template>' +
        '<table><td>Cell</td></table>',
      ['cells[]=css:td, th', 'p=css:p', 'template=css:template@html'],
      { cells: ['Cell'], p: 'Price12 €', template: '<td>t</td>' },
    ],
  ])('matches as a browser reads the markup %s', (_, markup, specs, expected) => {
    expect(runOn(markup, ...specs)).toEqual(expected);
  });

  it('keeps at most 10,000 values of a rule a page, and no empty matches', () => {
    const long = htmlSource(Buffer.from(`<p>${'x'.repeat(25_000)}</p>`), 'text/html');
    const rules = ['chars[]=regex:x', 'gaps[]=regex:y*', 'gap=regex:y*', 'items[]=css:li'];
    const many = `<ul>${'<li>i</li>'.repeat(12_000)}</ul>`;
    const values = extract(
      long,
      rules.slice(0, 3).map((spec) => extractionRuleSchema.parse(parseExtractionSpec(spec))),
    );
    expect((values.chars as string[]).length).toBe(10_000);
    expect(values.gaps).toEqual([]);
    expect(values.gap).toBeNull();
    const items = extract(
      htmlSource(Buffer.from(many), 'text/html'),
      [extractionRuleSchema.parse(parseExtractionSpec(rules[3]!))],
      css,
    );
    expect((items.items as string[]).length).toBe(10_000);
  });

  it('gives null, or no values, when nothing matches', () => {
    expect(run('x=css:.missing', 'y[]=css:.missing')).toEqual({ x: null, y: [] });
  });

  it.each([
    ['bad=css:td[', /rule "bad": bad CSS selector "td\["/],
    ['bad=regex:(open', /rule "bad": bad regular expression "\(open"/],
    ['1bad=regex:x', /a rule name is a letter/],
    ['__proto__=regex:x', /"__proto__" is a reserved word: give the rule another name/],
    ['constructor=css:a', /"constructor" is a reserved word/],
  ])('refuses %s with a clear error', (spec, message) => {
    const result = extractionRuleSchema.safeParse(parseExtractionSpec(spec));
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message).join('; ')).toMatch(message);
  });

  it('refuses a malformed --extract', () => {
    expect(() => parseExtractionSpec('title:css=h1')).toThrow(
      /NAME=css:SELECTOR or NAME=regex:PATTERN/,
    );
  });
});
