import type { ExtractedValue, ExtractionRule } from '../../shared/extraction';
import { MAX_VALUES_PER_RULE } from '../../shared/limits';
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

/**
 * The first capture group when the pattern has one, else the whole match.
 * A match of nothing is no value: a pattern that can match the empty string
 * matches it between every two characters.
 */
function matches(text: string, pattern: string, all: boolean): string[] {
  const found: string[] = [];
  const re = new RegExp(pattern, all ? 'g' : '');
  for (
    let match = re.exec(text);
    match !== null && found.length < MAX_VALUES_PER_RULE;
    match = all ? re.exec(text) : null
  ) {
    if (match[0] === '')
      re.lastIndex++; // and must not loop forever
    else found.push(match[1] ?? match[0]);
  }
  return found;
}

function pick(found: string[], all: boolean): ExtractedValue {
  if (all) return found.length > MAX_VALUES_PER_RULE ? found.slice(0, MAX_VALUES_PER_RULE) : found;
  return found[0] ?? null;
}
