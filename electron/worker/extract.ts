import type { ExtractedValue, ExtractionRule } from '../../shared/extraction';
import { loadCssExtraction, type CssExtraction } from './css-extract';
import type { HtmlSource } from './html-source';

/** Loads CSS support only for jobs that have CSS rules. */
export async function cssExtractionFor(
  rules: readonly ExtractionRule[],
): Promise<CssExtraction | undefined> {
  return rules.some((rule) => rule.kind === 'css') ? loadCssExtraction() : undefined;
}

/**
 * Runs a job's extraction rules on one page. CSS rules need a DOM, built once
 * per page and only when the job has CSS rules; regular expressions run on
 * the decoded text.
 */
export function extract(
  source: HtmlSource,
  rules: readonly ExtractionRule[],
  css?: CssExtraction,
): Record<string, ExtractedValue> {
  const values: Record<string, ExtractedValue> = {};
  let document: ReturnType<CssExtraction['parseDom']> | undefined;
  let text: string | undefined;
  for (const rule of rules) {
    if (rule.kind === 'css') {
      if (!css) throw new Error('CSS extraction used without loading it');
      document ??= css.parseDom(source);
      values[rule.name] = pick(css.selectValues(document, rule, source), rule.all);
    } else {
      text ??= source.text(source.markup);
      values[rule.name] = pick(matches(text, rule.expression, rule.all), rule.all);
    }
  }
  return values;
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
