import { selectAll } from 'css-select';
import type { AnyNode, Element } from 'domhandler';
import { getInnerHTML, textContent } from 'domutils';
import { decodeHTML, decodeHTMLAttribute } from 'entities';
import { parseDocument } from 'htmlparser2';
import type { ExtractedValue, ExtractionRule } from '../../shared/extraction';
import type { HtmlSource } from './html-source';

/**
 * Runs a job's extraction rules on one page. CSS rules need a DOM, built only
 * when a job has CSS rules; regular expressions run on the decoded text.
 * A rule that throws yields null for that rule, not a failed page.
 */
export function extract(
  source: HtmlSource,
  rules: readonly ExtractionRule[],
): Record<string, ExtractedValue> {
  const values: Record<string, ExtractedValue> = {};
  if (rules.length === 0) return values;
  let document: ReturnType<typeof parseDocument> | undefined;
  let text: string | undefined;
  for (const rule of rules) {
    if (rule.kind === 'css') {
      document ??= parseDocument(source.markup, { decodeEntities: false });
      values[rule.name] = pick(
        selectAll<AnyNode, Element>(rule.expression, document).map((element) =>
          take(element, rule, source),
        ),
        rule.all,
      );
    } else {
      text ??= source.text(source.markup);
      values[rule.name] = pick(matches(text, rule.expression, rule.all), rule.all);
    }
  }
  return values;
}

function take(element: Element, rule: ExtractionRule, source: HtmlSource): string {
  switch (rule.take) {
    case 'html':
      // Entities were never decoded (decodeEntities: false), so none are encoded back.
      return source.text(getInnerHTML(element, { encodeEntities: false }));
    case 'attribute':
      return decodeHTMLAttribute(source.text(element.attribs[rule.attribute!] ?? ''));
    case 'text':
      return decodeHTML(source.text(textContent(element)))
        .replace(/\s+/g, ' ')
        .trim();
  }
}

/** The first capture group when the pattern has one, else the whole match. */
function matches(text: string, pattern: string, all: boolean): string[] {
  const found: string[] = [];
  const re = new RegExp(pattern, all ? 'g' : '');
  for (let match = re.exec(text); match !== null; match = all ? re.exec(text) : null) {
    found.push(match[1] ?? match[0]);
    if (match[0] === '') re.lastIndex++; // an empty match must not loop forever
  }
  return found;
}

function pick(found: string[], all: boolean): ExtractedValue {
  if (all) return found;
  return found[0] ?? null;
}
