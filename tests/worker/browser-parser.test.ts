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
  foreignContext: 'field',
  attribs: 'field',
  openTagStart: 'field',
  closeCurrentTag: 'method',
  emitOpenTag: 'method',
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
  stateBeforeSpecialT: 'method',
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

  it('hold the attributes read, and open an element with emitOpenTag as at its start tag', () => {
    const events: string[] = [];
    const parser = new (class extends Parser {
      override onopentagend(endIndex: number): void {
        const internals = this as unknown as ParserInternals;
        const { attribs, openTagStart } = internals;
        if (internals.tagname === 'b') {
          internals.stack.shift();
          internals.emitOpenTag('div');
          internals.attribs = attribs;
          internals.openTagStart = openTagStart;
        }
        super.onopentagend(endIndex);
      }
    })({
      onopentagname: (name) => events.push(`name ${name}`),
      onopentag: (name, attribs) =>
        events.push(`<${name}> ${JSON.stringify(attribs)} at ${parser.startIndex}`),
      onclosetag: (name) => events.push(`</${name}>`),
    });
    parser.end('<p class="a"><b id="b">');
    // The <div> ends the <p>, as its start tag does, and has the <b>'s attributes and place.
    expect(events).toEqual([
      'name p',
      '<p> {"class":"a"} at 0',
      'name b',
      '</p>',
      'name div',
      '<div> {"id":"b"} at 13',
      '</div>',
    ]);
  });

  it('put true first in foreignContext at an <svg> or <math> start tag', () => {
    const seen: string[] = [];
    const parser = new (class extends Parser {
      override onopentagend(endIndex: number): void {
        const internals = this as unknown as ParserInternals;
        seen.push(`${internals.tagname} ${internals.foreignContext[0]}`);
        super.onopentagend(endIndex);
      }
    })({});
    parser.end('<p><svg><g></g></svg><b><math>');
    expect(seen).toEqual(['p false', 'svg true', 'g true', 'b false', 'math true']);
  });
});
