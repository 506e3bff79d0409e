import { InvalidArgumentError, Option, type Command } from 'commander';
import {
  PAGE_SCOPES,
  STATUS_CLASSES,
  type PageFilters,
  type StatusClass,
} from '../../shared/results';
import { oneOf } from './options';

type Field = keyof PageFilters;
type Value<F extends Field> = NonNullable<PageFilters[F]>;

/**
 * The URL table's filters as `trawl export` options, one per field of
 * `PageFilters` (the app's filter bar). Each option parses its own syntax;
 * limits, and what a format or report can honor, are the export request
 * schema's (see exportRequestSchema).
 */
const FILTER_OPTIONS: { [F in Field]-?: Option } = {
  statusClasses: filterOption(
    '--status <list>',
    `filter: URLs of these status classes (comma-separated: ${STATUS_CLASSES.join(',')})`,
    statusClasses,
  ),
  contentType: filterOption(
    '--content-type <type>',
    'filter: pages whose content type starts so, any case (text/html, image/)',
    contentType,
  ),
  depth: filterOption(
    '--depth <range>',
    'filter: URLs this many links from a start URL: N, MIN-MAX, MIN- or -MAX',
    depthRange,
  ),
  indexable: filterOption('--indexable <yes|no>', 'filter: indexable URLs, or the others', yesOrNo),
  scope: filterOption(
    '--scope <scope>',
    'filter: internal URLs (the default), checked external URLs, or all',
    oneOf(PAGE_SCOPES),
  ),
  text: filterOption(
    '--search <words>',
    'filter: URLs whose URL, title, meta description or h1 holds every word (as a prefix)',
    searchWords,
  ),
  extraction: filterOption(
    '--extracted <match>',
    'filter: pages by an extraction rule: NAME=VALUE (equals), NAME~VALUE (contains), NAME (has a value), !NAME (has none)',
    extractionMatch,
  ),
};

/** Adds the filter options to a command. */
export function addFilterOptions(command: Command): Command {
  for (const option of Object.values(FILTER_OPTIONS)) command.addOption(option);
  return command;
}

/** The filters among a command's parsed options, or undefined when none was given. */
export function filtersOf(options: object): PageFilters | undefined {
  const given = Object.entries(FILTER_OPTIONS).flatMap(([field, option]) => {
    const value = (options as Record<string, unknown>)[option.attributeName()];
    return value === undefined ? [] : [[field, value]];
  });
  return given.length === 0 ? undefined : (Object.fromEntries(given) as PageFilters);
}

/** The option of a filter field, as typed: `--status` for `statusClasses`. */
export function filterFlag(field: string): string | undefined {
  return FILTER_OPTIONS[field as Field]?.long;
}

function filterOption<F extends Field>(
  flags: string,
  help: string,
  parse: (value: string) => Value<F>,
): Option {
  return new Option(flags, help).argParser((value: string, previous: Value<F> | undefined) => {
    // A second one would silently replace the first.
    if (previous !== undefined) throw new InvalidArgumentError('given twice: give it once');
    return parse(value);
  });
}

function statusClasses(value: string): StatusClass[] {
  const names = value.split(',').map((name) => name.trim().toLowerCase());
  const unknown = names.find((name) => !(STATUS_CLASSES as readonly string[]).includes(name));
  if (unknown !== undefined) {
    throw new InvalidArgumentError(
      `${unknown === '' ? 'an empty item' : `"${unknown}"`} is no status class: expected a comma-separated list of ${STATUS_CLASSES.join(', ')}`,
    );
  }
  return [...new Set(names as StatusClass[])];
}

function contentType(value: string): string {
  const type = value.trim();
  if (type === '') {
    throw new InvalidArgumentError('expected a content type or its start, such as text/html');
  }
  return type;
}

/** `3` (exactly), `1-3`, `2-` (at least), `-3` (at most). */
function depthRange(value: string): Value<'depth'> {
  const range = /^\s*(\d*)\s*(-?)\s*(\d*)\s*$/.exec(value);
  const [, low = '', dash, high = ''] = range ?? [];
  if (range === null || (low === '' && high === '') || (dash === '' && high !== '')) {
    throw new InvalidArgumentError('expected N, MIN-MAX, MIN- or -MAX, such as 0-3');
  }
  const min = low === '' ? undefined : Number(low);
  const max = dash === '' ? min : high === '' ? undefined : Number(high);
  if ([min, max].some((depth) => depth !== undefined && !Number.isSafeInteger(depth))) {
    throw new InvalidArgumentError('is too large');
  }
  if (min !== undefined && max !== undefined && min > max) {
    throw new InvalidArgumentError(`the least depth ${min} is above the greatest ${max}`);
  }
  return { ...(min !== undefined && { min }), ...(max !== undefined && { max }) };
}

function yesOrNo(value: string): boolean {
  if (value === 'yes' || value === 'no') return value === 'yes';
  throw new InvalidArgumentError('expected yes or no');
}

function searchWords(value: string): string {
  // Blank, it would keep every row: surely not what was meant.
  if (value.trim() === '') throw new InvalidArgumentError('expected words to search for');
  return value;
}

/** `NAME=VALUE`, `NAME~VALUE`, `NAME` or `!NAME`: rule names hold none of = ~ !. */
function extractionMatch(value: string): Value<'extraction'> {
  const match = /^(!?)([^=~!]+)(?:([=~])([\s\S]*))?$/.exec(value);
  if (match === null || (match[1] === '!' && match[3] !== undefined)) {
    throw new InvalidArgumentError(
      'expected NAME=VALUE (equals), NAME~VALUE (contains), NAME (has a value) or !NAME (has none)',
    );
  }
  const [, not, name = '', op, text = ''] = match;
  if (op === undefined) return { name, op: not === '!' ? 'absent' : 'present' };
  return { name, op: op === '=' ? 'equals' : 'contains', value: text };
}
