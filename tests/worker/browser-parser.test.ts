import { Parser } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import {
  TOKENIZER_STATE,
  type ParserInternals,
  type TokenizerInternals,
} from '../../electron/worker/browser-parser';

/** Every member of each interface, so TypeScript fails this test when one is added or dropped. */
const parserMembers = {
  tokenizer: 'field',
  cbs: 'field',
  stack: 'field',
  tagname: 'field',
  closeCurrentTag: 'method',
} satisfies Record<keyof ParserInternals, 'field' | 'method'>;
const tokenizerMembers = {
  cbs: 'field',
  buffer: 'field',
  offset: 'field',
  state: 'field',
  index: 'field',
  sectionStart: 'field',
  isSpecial: 'field',
  currentSequence: 'field',
  sequenceIndex: 'field',
  stateCDATASequence: 'method',
  stateInCommentLike: 'method',
  stateBeforeClosingTagName: 'method',
  stateInSelfClosingTag: 'method',
} satisfies Record<keyof TokenizerInternals, 'field' | 'method'>;

const present = (object: object, members: Record<string, 'field' | 'method'>) =>
  Object.fromEntries(
    Object.keys(members).map((name) => [
      name,
      name in object &&
        (typeof (object as Record<string, unknown>)[name] === 'function' ? 'method' : 'field'),
    ]),
  );

describe("htmlparser2's private parts that BrowserParser relies on", () => {
  it('are there, named and numbered as in 10.1 (an upgrade that changes them fails here)', () => {
    const parser = new Parser({});
    const tokenizer = (parser as unknown as ParserInternals)
      .tokenizer as unknown as TokenizerInternals;
    expect(present(parser, parserMembers)).toEqual(parserMembers);
    expect(present(tokenizer, tokenizerMembers)).toEqual(tokenizerMembers);

    parser.write('text');
    expect(tokenizer.state).toBe(TOKENIZER_STATE.text);
    parser.write('</a ');
    expect(tokenizer.state).toBe(TOKENIZER_STATE.afterClosingTagName);
    parser.write('></1');
    expect(tokenizer.state).toBe(TOKENIZER_STATE.bogusComment);
    parser.write('><script>');
    expect(tokenizer.state).toBe(TOKENIZER_STATE.rawText);

    // sequenceIndex counts the `CDATA[` read after `<![`.
    const cdata = new Parser({});
    const cdataTokenizer = (cdata as unknown as ParserInternals)
      .tokenizer as unknown as TokenizerInternals;
    cdata.write('<![CDATA');
    expect(cdataTokenizer.sequenceIndex).toBe(5);
  });

  it('name the element whose start tag is being read, which closeCurrentTag closes', () => {
    const events: string[] = [];
    const parser = new (class extends Parser {
      override onselfclosingtag(): void {
        const internals = this as unknown as ParserInternals;
        events.push(`${internals.tagname} [${internals.stack.join(' ')}]`);
        internals.closeCurrentTag(false);
      }
    })({
      onopentag: (name) => events.push(`<${name}>`),
      onclosetag: (name) => events.push(`</${name}>`),
    });
    parser.end('<p><b/>');
    expect(events).toEqual(['<p>', 'b [b p]', '<b>', '</b>', '</p>']);
  });
});
