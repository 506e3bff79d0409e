import type { AnyNode, Document, Element } from 'domhandler';
import { decodeHTML, decodeHTMLAttribute } from 'entities';
import { parseDocument } from 'htmlparser2';
import type { ExtractionRule } from '../../shared/extraction';
import type { HtmlSource } from './html-source';

export interface CssExtraction {
  parseDom(source: HtmlSource): Document;
  selectValues(document: Document, rule: ExtractionRule, source: HtmlSource): string[];
}

/**
 * CSS extraction over htmlparser2's DOM. css-select and domutils are imported
 * only by workers of jobs with CSS rules: other workers never load them.
 */
export async function loadCssExtraction(): Promise<CssExtraction> {
  const [{ selectAll }, { getInnerHTML, textContent }] = await Promise.all([
    import('css-select'),
    import('domutils'),
  ]);
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
    parseDom: (source) => parseDocument(source.markup, { decodeEntities: false }),
    selectValues: (document, rule, source) =>
      selectAll<AnyNode, Element>(rule.expression, document)
        .map((element) => take(element, rule, source))
        .filter((value) => value !== null),
  };
}
