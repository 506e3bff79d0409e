import type { AnyNode, Document, Element } from 'domhandler';
import { decodeHTML, decodeHTMLAttribute } from 'entities';
import type { ExtractionRule } from '../../shared/extraction';
import { BrowserParser } from './browser-parser';
import type { HtmlSource } from './html-source';

export interface CssExtraction {
  parseDom(source: HtmlSource): Document;
  selectValues(document: Document, rule: ExtractionRule, source: HtmlSource): string[];
}

/**
 * CSS extraction over htmlparser2's DOM, with tables' implied <tbody>.
 * css-select, domutils and domhandler are imported only by workers of jobs
 * with CSS rules: other workers never load them.
 */
export async function loadCssExtraction(): Promise<CssExtraction> {
  const [
    { selectAll },
    { appendChild, findAll, getInnerHTML, isTag, prepend, textContent },
    { DomHandler, Element: ElementNode },
  ] = await Promise.all([import('css-select'), import('domutils'), import('domhandler')]);

  /**
   * Puts the rows a table holds directly into a <tbody>, as a browser's tree
   * construction does, so selectors copied from DevTools (`table > tbody >
   * tr`) match. htmlparser2 makes no implied elements; parse5, which makes
   * them all, built this tree ten times slower (bench/RESULTS.md).
   */
  const addImpliedTbodies = (document: Document) => {
    for (const table of findAll((element) => element.name === 'table', document.children)) {
      let body: Element | null = null;
      for (const child of [...table.children]) {
        if (!isTag(child)) continue;
        if (child.name !== 'tr') {
          body = null; // a thead, tbody or caption ends the run: a later row starts another
          continue;
        }
        if (body === null) {
          body = new ElementNode('tbody', {});
          prepend(child, body);
        }
        appendChild(body, child);
      }
    }
    return document;
  };
  /** What a rule takes from one element; null when it lacks the attribute asked for. */
  const take = (element: Element, rule: ExtractionRule, source: HtmlSource): string | null => {
    switch (rule.take) {
      case 'html':
        // Entities were never decoded (decodeEntities: false), so none are encoded back.
        return source.text(getInnerHTML(element, { encodeEntities: false }));
      case 'attribute': {
        // The parser lowercases attribute names, as HTML's are case-insensitive: `@HREF` is `href`.
        const value = element.attribs[rule.attribute!.toLowerCase()];
        return value === undefined ? null : decodeHTMLAttribute(source.text(value));
      }
      case 'text':
        return decodeHTML(source.text(textContent(element)))
          .replace(/\s+/g, ' ')
          .trim();
    }
  };
  return {
    parseDom: (source) => {
      const handler = new DomHandler();
      new BrowserParser(handler, { decodeEntities: false }).end(source.markup);
      return addImpliedTbodies(handler.root);
    },
    selectValues: (document, rule, source) =>
      selectAll<AnyNode, Element>(rule.expression, document)
        .map((element) => take(element, rule, source))
        .filter((value) => value !== null),
  };
}
