import {
  Parser,
  Tokenizer,
  type Handler,
  type ParserOptions,
  type TokenizerCallbacks,
} from 'htmlparser2';

/**
 * htmlparser2 10.1's Parser, corrected where it reads malformed markup
 * otherwise than a browser's parser (the HTML spec's tokenizer and tree
 * construction), for the worker's fields and the DOM of CSS rules alike.
 * The corrections live in 10.1's private parts, listed in the two interfaces
 * below: tests/worker/browser-parser.test.ts fails if an upgrade renames one.
 */
export class BrowserParser extends Parser {
  /**
   * Where an open `<svg>` or `<math>`, the outermost when it was read, is in
   * the open elements, counted from the outermost element; -1 before one.
   */
  private outermostRoot = -1;

  constructor(handler: Partial<Handler>, options: Pick<ParserOptions, 'decodeEntities'> = {}) {
    super(handler, { Tokenizer: BrowserTokenizer as unknown as typeof Tokenizer, ...options });
  }

  /**
   * An end tag of any heading ends the innermost open heading, as in a
   * browser: `<h1>Title</h2>` has the h1 `Title`. 10.1 ends only an open
   * element of the tag's own name, and ignores `</h2>` when none is open. A
   * browser ignores the tag when no heading is open in scope: one outside the
   * table cell, caption or SVG `<title>` being read (`<h1><table><td></h2>`).
   * The tokenizer calls this for `</h1>` to `</h6>` only, in place of
   * onclosetag: overriding that, which runs at every end tag, cost 8 % of the
   * parse.
   */
  onheadingclosetag(endIndex: number): void {
    const { stack, cbs } = this as unknown as ParserInternals;
    this.endIndex = endIndex;
    const heading = stack.findIndex((open) => HEADINGS.has(open) || SCOPE_ENDS.has(open));
    if (heading !== -1 && HEADINGS.has(stack[heading]!))
      for (let index = 0; index <= heading; index++)
        cbs.onclosetag?.(stack.shift()!, index !== heading);
    this.startIndex = endIndex + 1;
  }

  /**
   * Whether the element whose start tag is being read is an SVG or MathML
   * element, as a browser's tree construction decides: `<svg>` and `<math>`
   * are, and so is an element inside one, unless an HTML integration point
   * (`<foreignObject>`, SVG `<title>`, MathML `<mi>`…) is nearer, whose
   * content is HTML again. For a handler's onopentag, and at `/>`.
   */
  isForeignElement(): boolean {
    const name = (this as unknown as ParserInternals).tagname;
    // The element itself is on the stack unless it is void.
    return FOREIGN_ROOTS.has(name) || this.foreignRootAt(this.isVoidElement(name) ? 0 : 1) !== -1;
  }

  /**
   * Whether the open element the markup is being read in is an SVG or MathML
   * one, integration points included: a browser's tokenizer reads a CDATA
   * section there, and a bogus comment elsewhere.
   */
  inForeignElement(): boolean {
    const { stack } = this as unknown as ParserInternals;
    return stack.length > 0 && (FOREIGN_ROOTS.has(stack[0]!) || this.foreignRootAt(1) !== -1);
  }

  /**
   * Where in the open elements, from `from` on, the nearest `<svg>` or
   * `<math>` is when no integration point comes first: the elements from
   * `from` to it are SVG or MathML. Else -1.
   */
  private foreignRootAt(from: number): number {
    const { stack } = this as unknown as ParserInternals;
    for (let index = from; index < stack.length; index++) {
      const open = stack[index]!;
      if (FOREIGN_ROOTS.has(open)) return index;
      if (INTEGRATION_POINTS.has(open)) return -1;
    }
    return -1;
  }

  /**
   * An HTML start tag of the spec's list (`<div>`, `<p>`, `<b>`, `<img>`…,
   * BREAKOUT_TAGS, and `<font>` with a color, face or size) in SVG or MathML
   * ends the SVG and MathML elements it is in, up to an HTML element or
   * integration point, as in a browser: `<svg><div>` is an HTML `<div>` after
   * the `<svg>`, where 10.1 opened it inside. Done at the end of the start
   * tag, whose attributes a `<font>` needs. Then the content of a raw-text
   * element (`<iframe>`, `<script/>`…) is read as text, for every handler,
   * and a table part outside any table is dropped.
   */
  override onopentagend(endIndex: number): void {
    const self = this as unknown as ParserInternals;
    const { foreignContext, tagname, tokenizer } = self;
    // 10.1 puts true first in foreignContext at each <svg> and <math> start
    // tag: before one, nothing to do, and no name is looked up.
    if (this.outermostRoot !== -1 || foreignContext[0]) this.breakOutOfForeign();
    // The tokenizer has marked 10.1's own raw-text elements (also at `/>`),
    // and the others' names are longer than 5: most start tags are spared a
    // name look-up, which cost 0.7 % of the parse's instructions (bench/RESULTS.md).
    if (tokenizer.isSpecial || tagname.length > 5) this.readRawText(tagname);
    if (tokenizer.maybeTablePart) {
      tokenizer.maybeTablePart = false;
      // Most are cells and rows in a table: the open elements answer before the name does.
      if (this.isStrayTablePart() && TABLE_PARTS.has(tagname)) {
        // Dropped: no onopentag, and its end tag finds no element to end.
        self.stack.shift();
        self.attribs = null;
      }
    }
    super.onopentagend(endIndex);
  }

  /**
   * Whether the table part whose start tag is being read (`<td>`, `<tr>`…) is
   * outside any table, where a browser ignores its start tag: `<h1>Title<td>x</h1>`
   * has the h1 `Titlex`, where 10.1 opened a cell, and the `</h1>`, outside
   * the heading's scope then, ended nothing. Not in a `<template>`, whose
   * content may be table parts, nor in SVG or MathML, where they are
   * elements of those.
   */
  private isStrayTablePart(): boolean {
    const { stack } = this as unknown as ParserInternals;
    for (let index = 1; index < stack.length; index++)
      if (stack[index] === 'table' || stack[index] === 'template') return false;
    return !this.isForeignElement();
  }

  /**
   * Reads the content of the element whose start tag is being read as raw
   * text up to its end tag, also after `/>`, as a browser does in HTML
   * content, when it is one of RAW_TEXT_ENDS.
   */
  private readRawText(name: string): void {
    const endTag = RAW_TEXT_ENDS.get(name);
    if (endTag !== undefined && !this.isForeignElement())
      (this as unknown as ParserInternals).tokenizer.readRawText(endTag);
  }

  /** At the end of a start tag (also at `/>`): notes an `<svg>` or `<math>`, or ends them. */
  private breakOutOfForeign(): void {
    const self = this as unknown as ParserInternals;
    const name = self.tagname;
    if (self.foreignContext[0] === true && FOREIGN_ROOTS.has(name)) {
      if (!this.inForeignRoot()) this.outermostRoot = self.stack.length - 1;
      return;
    }
    if (this.outermostRoot === -1 || !this.inForeignRoot()) return;
    const { attribs, openTagStart } = self;
    if (
      name === 'font'
        ? !FONT_BREAKOUT_ATTRIBUTES.some((key) => attribs !== null && key in attribs)
        : !BREAKOUT_TAGS.has(name)
    )
      return;
    // The element itself is on the stack unless it is void.
    const from = this.isVoidElement(name) ? 0 : 1;
    const root = this.foreignRootAt(from);
    if (root === -1) return;
    if (from === 1) self.stack.shift();
    this.closeForeign(0, root - from);
    // Opened again where it belongs, so that it ends an open <p> or <li> as in
    // HTML (handlers see its onopentagname twice; Trawl's read none).
    self.emitOpenTag(name);
    self.attribs = attribs;
    self.openTagStart = openTagStart;
  }

  /** Whether an `<svg>` or `<math>` is open, the outermost read (or one in its place). */
  private inForeignRoot(): boolean {
    const { stack } = this as unknown as ParserInternals;
    const at = stack.length - 1 - this.outermostRoot;
    return at >= 0 && FOREIGN_ROOTS.has(stack[at]!);
  }

  /** Ends the open elements from `from` to `to`, innermost first. */
  private closeForeign(from: number, to: number): void {
    const { stack, cbs } = this as unknown as ParserInternals;
    for (const name of stack.splice(from, to - from + 1)) cbs.onclosetag?.(name, true);
  }

  /**
   * A CDATA section, which BrowserTokenizer reads only in SVG or MathML, is
   * text, as in a browser (`<svg><text><![CDATA[a < b]]>`); 10.1 made it a
   * comment.
   */
  override oncdata(start: number, endIndex: number, offset: number): void {
    if (endIndex - offset > start) this.ontext(start, endIndex - offset);
    this.endIndex = endIndex;
    this.startIndex = endIndex + 1;
  }

  /**
   * `</p>` and `</br>` end the SVG and MathML elements they are in, up to an
   * HTML element or integration point, as the breakout start tags do, and
   * are then read as in HTML: `<svg><g></br>` is a `<br>` after the `<svg>`,
   * where 10.1 opened a `<br>` in it and the page read on in SVG. The
   * tokenizer calls this before the end tag's own onclosetag.
   */
  onbreakoutendtag(): void {
    if (this.outermostRoot === -1 || !this.inForeignRoot()) return;
    const root = this.foreignRootAt(0);
    if (root !== -1) this.closeForeign(0, root);
  }

  /**
   * The `/` of a start tag closes an SVG or MathML element, and a browser
   * ignores it on an HTML one. 10.1 decides by a record of foreign content
   * that `<svg/>` leaves wrong for the rest of the page (a `<div/>` after it
   * closed at once, `<script/>` no raw text) and that an SVG `<title/>` takes
   * for HTML (its title ran on to the SVG's end).
   */
  override onselfclosingtag(endIndex: number): void {
    const self = this as unknown as ParserInternals;
    this.breakOutOfForeign();
    // A void element (`<br/>`) ends at its start tag either way.
    if (this.isVoidElement(self.tagname) || !this.isForeignElement())
      return this.onopentagend(endIndex);
    this.endIndex = endIndex;
    self.closeCurrentTag(false);
    this.startIndex = endIndex + 1;
  }
}

/** The private members of htmlparser2 10.1's Parser that BrowserParser uses. */
export interface ParserInternals {
  readonly tokenizer: BrowserTokenizer;
  readonly cbs: Partial<Handler>;
  /** Open elements, innermost first. */
  readonly stack: string[];
  /** Name of the element whose start tag is being read. */
  readonly tagname: string;
  /** 10.1's record of foreign content: true first from each `<svg>` or `<math>` start tag on. */
  readonly foreignContext: boolean[];
  /** Attributes of the element whose start tag is being read, when the handler has onopentag. */
  attribs: Record<string, string> | null;
  /** Where the start tag being read starts, for the handler's startIndex. */
  openTagStart: number;
  closeCurrentTag(isOpenImplied: boolean): void;
  /** Opens the element: ends those its start tag ends (a `<p>` at `<div>`), then onopentagname. */
  emitOpenTag(name: string): void;
}

/** The private members of htmlparser2 10.1's Tokenizer that BrowserTokenizer uses. */
export interface TokenizerInternals {
  readonly cbs: TokenizerCallbacks;
  /** The chunk being read (Trawl writes a page in one), from `offset` in the markup. */
  readonly buffer: string;
  readonly offset: number;
  state: number;
  index: number;
  sectionStart: number;
  /**
   * In a start tag whose element's content is raw text up to
   * `currentSequence`: set from its name for `<script>`, `<style>`, `<title>`,
   * `<textarea>` and `<xmp>`, up to `>` and at `/>`.
   */
  isSpecial: boolean;
  currentSequence: Uint8Array;
  sequenceIndex: number;
  stateCDATASequence(c: number): void;
  stateInCommentLike(c: number): void;
  stateBeforeClosingTagName(c: number): void;
  stateInSelfClosingTag(c: number): void;
  /** At the second letter of a start tag's name that starts with `t` or `x`. */
  stateBeforeSpecialT(c: number): void;
}

/** Values of 10.1's (unexported) tokenizer `State` this module sets. */
export const TOKENIZER_STATE = {
  text: 1,
  afterClosingTagName: 7,
  bogusComment: 20,
  rawText: 25,
} as const;

/** The heading elements, whose start and end tags end an open heading. */
export const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const FOREIGN_ROOTS = new Set(['svg', 'math']);
/** Start tags a browser ignores outside a table (but `<caption>`, `<col>` and `<colgroup>`). */
const TABLE_PARTS = new Set(['td', 'th', 'tr', 'tbody', 'thead', 'tfoot']);
/**
 * HTML start tags that end the SVG and MathML elements they are in (the
 * spec's "rules for parsing tokens in foreign content"), and `<font>` with
 * one of FONT_BREAKOUT_ATTRIBUTES.
 */
const BREAKOUT_TAGS = new Set([
  ...['b', 'big', 'blockquote', 'body', 'br', 'center', 'code', 'dd', 'div', 'dl', 'dt'],
  ...['em', 'embed', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'head', 'hr', 'i', 'img', 'li'],
  ...['listing', 'menu', 'meta', 'nobr', 'ol', 'p', 'pre', 'ruby', 's', 'small', 'span'],
  ...['strong', 'strike', 'sub', 'sup', 'table', 'tt', 'u', 'ul', 'var'],
]);
const FONT_BREAKOUT_ATTRIBUTES = ['color', 'face', 'size'];
/** SVG and MathML elements whose content a browser reads as HTML (10.1's list). */
const INTEGRATION_POINTS = new Set([
  'foreignobject',
  'desc',
  'title',
  'mi',
  'mo',
  'mn',
  'ms',
  'mtext',
  'annotation-xml',
]);
/** Elements that end the scope a heading's end tag looks for its heading in (the spec's "in scope"). */
const SCOPE_ENDS = new Set([
  'applet',
  'caption',
  'html',
  'marquee',
  'object',
  'table',
  'td',
  'template',
  'th',
  ...INTEGRATION_POINTS,
]);
const GT = 0x3e;
const DASH = 0x2d;
const BANG = 0x21;
const SLASH = 0x2f;
const LEFT_BRACKET = 0x5b;
const isWhitespace = (c: number) =>
  c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0c || c === 0x0d;

/**
 * Elements whose content a browser's parser reads as raw text up to their end
 * tag: for each, that end tag, lowercase, as the tokenizer matches it. 10.1
 * reads `<script>`, `<style>`, `<title>`, `<textarea>` and `<xmp>` so, but
 * not after `/>`, and the others not at all. `<plaintext>` has no end: all
 * that follows it is text (`<` then NUL never matches, as the tokenizer
 * compares `c | 0x20`).
 * `<noscript>` is not one: a browser reads it as raw text only with scripting
 * on, and Trawl runs no scripts (docs/page-data.md).
 */
const RAW_TEXT_ENDS = new Map([
  ...['script', 'style', 'title', 'textarea', 'xmp', 'iframe', 'noembed', 'noframes'].map(
    (name) => [name, Uint8Array.from(`</${name}`, (char) => char.charCodeAt(0))] as const,
  ),
  ['plaintext', Uint8Array.of(0x3c, 0)] as const,
]);

const TokenizerWithInternals = Tokenizer as unknown as new (
  options: { xmlMode?: boolean; decodeEntities?: boolean },
  cbs: TokenizerCallbacks,
) => TokenizerInternals;

class BrowserTokenizer extends TokenizerWithInternals {
  /** readRawText was called for the start tag being read. */
  private rawTextAsked = false;
  /**
   * The start tag being read may be a table part (`<td`, `<th`, `<tr`, `<tb`,
   * `<tf`): the parser looks its name up, and no other start tag's.
   */
  maybeTablePart = false;

  /** Reads the content of the element whose start tag is being read as raw text, up to `endTag`. */
  readRawText(endTag: Uint8Array): void {
    this.isSpecial = true;
    this.currentSequence = endTag;
    this.rawTextAsked = true;
  }

  /**
   * `<![CDATA[` starts a CDATA section only in an SVG or MathML element, as
   * in a browser; elsewhere it is a bogus comment ending at the first `>`
   * (`<!--[CDATA[ x -->`). 10.1 read on to `]]>`, and a page lost the links
   * and text between. sequenceIndex counts the `CDATA[` read.
   */
  override stateCDATASequence(c: number): void {
    if (
      this.sequenceIndex === 5 &&
      c === LEFT_BRACKET &&
      !(this.cbs as BrowserParser).inForeignElement()
    ) {
      // Its text from the `[` after `<!`, where sectionStart is, as a browser's.
      this.state = TOKENIZER_STATE.bogusComment;
      return;
    }
    super.stateCDATASequence(c);
  }

  /**
   * A comment ends at `--!>` as at `-->` (the spec's comment end bang state);
   * 10.1 read on to the next `-->`, and a page lost the links and text
   * between. sequenceIndex 3, past 10.1's own, marks `--!` read.
   */
  override stateInCommentLike(c: number): void {
    if (this.sequenceIndex === 3) {
      if (c === GT) {
        this.cbs.oncomment(this.sectionStart, this.index, 3);
        this.sequenceIndex = 0;
        this.sectionStart = this.index + 1;
        this.state = TOKENIZER_STATE.text;
        return;
      }
      this.sequenceIndex = 0;
    } else if (
      c === BANG &&
      this.sequenceIndex === 2 &&
      this.currentSequence[0] === DASH &&
      // Not the `<!--` itself: 10.1 starts a comment as if `--` were read, for `<!-->`.
      this.index >= this.sectionStart + 2
    ) {
      this.sequenceIndex = 3;
      return;
    }
    super.stateInCommentLike(c);
  }

  /**
   * An end tag whose name does not start with a letter is a comment up to
   * `>` (`</ p>`), and `</>` is nothing, as in a browser; 10.1 skipped the
   * space and read `</p>`, and kept `</>` as text. A heading's end tag goes
   * to the parser's onheadingclosetag; `</p>` and `</br>` go to its
   * onbreakoutendtag first.
   */
  override stateBeforeClosingTagName(c: number): void {
    const lower = c | 0x20;
    if ((lower === 0x70 || lower === 0x62) && this.isBreakoutEndTagName(lower))
      (this.cbs as BrowserParser).onbreakoutendtag();
    if (lower === 0x68 && this.isHeadingName()) {
      (this.cbs as BrowserParser).onheadingclosetag(this.index + 2);
      this.sectionStart = -1;
      this.state = TOKENIZER_STATE.afterClosingTagName;
      this.index++; // past the digit: the loop reads on from the character after it
    } else if (c === GT) {
      this.state = TOKENIZER_STATE.text;
      this.sectionStart = this.index + 1;
    } else if (isWhitespace(c)) {
      this.state = TOKENIZER_STATE.bogusComment;
      this.sectionStart = this.index;
    } else super.stateBeforeClosingTagName(c);
  }

  /** 10.1 comes here at the second letter of `<t…` and `<x…` only. */
  override stateBeforeSpecialT(c: number): void {
    const lower = c | 0x20;
    // d, h, r, b, f
    if (lower === 0x64 || lower === 0x68 || lower === 0x72 || lower === 0x62 || lower === 0x66)
      this.maybeTablePart = true;
    super.stateBeforeSpecialT(c);
  }

  /** At `h` after `</`: a digit 1-6 and the name's end follow (in this chunk). */
  private isHeadingName(): boolean {
    const at = this.index - this.offset;
    const digit = this.buffer.charCodeAt(at + 1);
    const after = this.buffer.charCodeAt(at + 2);
    return (
      digit >= 0x31 && digit <= 0x36 && (after === GT || after === SLASH || isWhitespace(after))
    );
  }

  /** At `p` or `b` after `</`: the name is `p` or `br` (in this chunk). */
  private isBreakoutEndTagName(lower: number): boolean {
    const at = this.index - this.offset + (lower === 0x62 ? 2 : 1);
    const after = this.buffer.charCodeAt(at);
    return (
      (lower === 0x70 || (this.buffer.charCodeAt(at - 1) | 0x20) === 0x72) &&
      (after === GT || after === SLASH || isWhitespace(after))
    );
  }

  /**
   * A browser ignores the `/` of an HTML element's start tag: `<iframe/>`,
   * `<script src="a.js"/>` or `<title/>` opens raw text as their `>` does,
   * when the parser asks for it (not in SVG). 10.1 left raw text at `/>`, so
   * markup inside counted.
   */
  override stateInSelfClosingTag(c: number): void {
    if (c !== GT) return super.stateInSelfClosingTag(c);
    this.rawTextAsked = false;
    super.stateInSelfClosingTag(c); // the parser's onselfclosingtag, then out of raw text
    if (this.rawTextAsked) {
      this.isSpecial = true;
      this.state = TOKENIZER_STATE.rawText;
      this.sequenceIndex = 0;
    }
  }
}
