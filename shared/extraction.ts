import { compile } from 'css-select';
import { z } from 'zod';

/**
 * Custom extraction rules: named CSS selector or regular expression rules,
 * evaluated by the workers on every HTML page; each value is stored per page.
 */
export const extractionRuleSchema = z
  .object({
    name: z
      .string()
      .regex(
        /^[A-Za-z_][\w-]{0,63}$/,
        'a rule name is a letter or _ then up to 63 letters, digits, _ or -',
      )
      // Values are keyed by rule name in plain objects: `__proto__` stored nothing and
      // `constructor` broke the page detail.
      .refine((name) => !(name in Object.prototype), {
        error: (issue) => `"${String(issue.input)}" is a reserved word: give the rule another name`,
      }),
    kind: z.enum(['css', 'regex']),
    /** A CSS selector or a JavaScript regular expression. */
    expression: z.string().min(1),
    /** CSS only: what to take from each match. */
    take: z.enum(['text', 'html', 'attribute']).default('text'),
    /** CSS with take = attribute: the attribute's name. */
    attribute: z.string().min(1).optional(),
    /** Every match, or only the first. */
    all: z.boolean().default(false),
  })
  .superRefine((rule, context) => {
    const problem = expressionError(rule.kind, rule.expression);
    if (problem) context.addIssue({ code: 'custom', message: `rule "${rule.name}": ${problem}` });
    if (rule.take === 'attribute' && !rule.attribute) {
      context.addIssue({
        code: 'custom',
        message: `rule "${rule.name}": take "attribute" needs an attribute name`,
      });
    }
  });

export type ExtractionRule = z.infer<typeof extractionRuleSchema>;

/** One value per rule: a string, every match for `all`, or null when nothing matched. */
export type ExtractedValue = string | string[] | null;

function expressionError(kind: 'css' | 'regex', expression: string): string | null {
  try {
    if (kind === 'regex') new RegExp(expression);
    else compile(expression);
    return null;
  } catch (error) {
    return `bad ${kind === 'css' ? 'CSS selector' : 'regular expression'} "${expression}": ${(error as Error).message}`;
  }
}

/**
 * The command-line form: `NAME=css:SELECTOR`, `NAME=css:SELECTOR@attr`
 * (`@html` for the inner HTML), `NAME=regex:PATTERN`; `NAME[]=…` keeps every
 * match instead of the first. Returns the rule before validation.
 */
export function parseExtractionSpec(spec: string): Record<string, unknown> {
  const match = /^([^=]+?)(\[\])?=(css|regex):([\s\S]+)$/.exec(spec);
  if (!match)
    throw new Error(
      `--extract "${spec}" is not of the form NAME=css:SELECTOR or NAME=regex:PATTERN`,
    );
  const [, name, all, kind, body] = match as unknown as [
    string,
    string,
    string | undefined,
    'css' | 'regex',
    string,
  ];
  const rule: Record<string, unknown> = { name, kind, expression: body, all: all !== undefined };
  const at = kind === 'css' ? /@([\w:-]+)$/.exec(body) : null;
  if (at) {
    rule.expression = body.slice(0, at.index);
    if (at[1] === 'html') rule.take = 'html';
    else Object.assign(rule, { take: 'attribute', attribute: at[1] });
  }
  return rule;
}

/** A rule in the command-line form `parseExtractionSpec` reads: `price[]=css:.price@data-value`. */
export function formatExtractionSpec(rule: ExtractionRule): string {
  const take =
    rule.kind !== 'css' || rule.take === 'text'
      ? ''
      : rule.take === 'html'
        ? '@html'
        : `@${rule.attribute}`;
  return `${rule.name}${rule.all ? '[]' : ''}=${rule.kind}:${rule.expression}${take}`;
}
