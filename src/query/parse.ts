/**
 * MARCspec parser: the ABNF of the MARCspec specification (marc-spec.md, "Form of MARCspec"),
 * implemented as a hand-written recursive descent so every rejection can name its column.
 *
 * mrrc extensions, none of which turns a spec the MARCspec test suite rejects into a valid one:
 * - positions with leading zeros (`LDR/06`, `008/07-10`), as MARC documentation writes them;
 * - tag ranges `600-699` (mrrc's TagRangeQuery);
 * - `LNK245`: 880 fields whose $6 links to a 245 (marc4j/SolrMarc's selector for the vernacular);
 * - regular expressions in subSpecs: `{$a=~/^97[89]/}` and `{$a!=~/x/i}` (mrrc's
 *   SubfieldPatternQuery);
 * - non-ASCII characters in comparison strings (the ABNF allows only VCHAR).
 */

import type { Binding, FieldSelector, Operator, PosRange, Position, Spec, SpecKind, SubfieldPart, SubSpec, SubTerm, SubTermSet } from './ast.js';

/** A spec that does not follow the MARCspec grammar; `column` is 1-based. */
export class QuerySyntaxError extends SyntaxError {
  override readonly name = 'QuerySyntaxError';
  readonly spec: string;
  readonly column: number;
  /** The message without the spec and caret lines. */
  readonly detail: string;

  constructor(detail: string, spec: string, column: number) {
    super(`${detail} at column ${column}\n  ${spec}\n  ${' '.repeat(Math.max(0, column - 1))}^`);
    this.spec = spec;
    this.column = column;
    this.detail = detail;
  }
}

const OPERATOR_START = new Set(['!', '=', '~', '?']);
// Characters that end a comparison string unless escaped (marc-spec.md, "SubSpecs").
const COMPARISON_STOP = new Set(['$', '{', '}', '!', '=', '~', '?', '|']);

function isSubfieldChar(c: number): boolean {
  // subfieldChar = %x21-3F / %x5B-7B / %x7D-7E: visible ASCII except A-Z, '@' and '|'.
  return (c >= 0x21 && c <= 0x3f) || (c >= 0x5b && c <= 0x7b) || (c >= 0x7d && c <= 0x7e);
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

function isLower(c: string): boolean {
  return c >= 'a' && c <= 'z';
}

function isUpper(c: string): boolean {
  return c >= 'A' && c <= 'Z';
}

function isTagChar(c: string): boolean {
  return isDigit(c) || isLower(c) || isUpper(c) || c === '.';
}

function show(c: string | undefined): string {
  if (c === undefined || c === '') return 'end of spec';
  if (c === ' ') return 'a space';
  return `'${c}'`;
}

/** The context a subSpec is attached to, for abbreviations and the omitted left-hand subterm. */
interface Context {
  kind: SpecKind;
  field: FieldSelector;
  chars?: PosRange;
  indicator?: 1 | 2;
  part?: SubfieldPart;
}

class Parser {
  pos = 0;
  constructor(readonly text: string) {}

  fail(detail: string, at = this.pos): never {
    throw new QuerySyntaxError(detail, this.text, at + 1);
  }

  peek(offset = 0): string {
    return this.text.charAt(this.pos + offset);
  }

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  expect(c: string, what: string): void {
    if (this.peek() !== c) this.fail(`expected ${what}, found ${show(this.peek())}`);
    this.pos++;
  }

  parseTop(): Spec {
    if (this.text.length === 0) this.fail('empty spec: expected a field tag such as 245 or LDR');
    const field = this.fieldSelector();
    let spec: Spec;
    const c = this.peek();
    if (c === '/') {
      const chars = this.charSpec();
      if (this.peek() === '^') this.fail('an indicator cannot follow a character position: character positions belong to control fields, indicators to data fields');
      if (this.peek() === '$') this.fail('a subfield cannot follow a character position: write the position after the subfield code (245$a/0-3)');
      spec = { kind: 'field', field, chars, subfields: [], subSpecs: [] };
      spec.subSpecs = this.subSpecs(spec);
    } else if (c === '^') {
      const indicator = this.indicator();
      spec = { kind: 'indicator', field, indicator, subfields: [], subSpecs: [] };
      spec.subSpecs = this.subSpecs(spec);
    } else if (c === '$') {
      spec = { kind: 'subfield', field, subfields: [], subSpecs: [] };
      while (this.peek() === '$') {
        const part = this.subfieldPart();
        spec.subfields.push(part);
        part.subSpecs = this.subSpecs({ kind: 'subfield', field, part });
      }
    } else {
      spec = { kind: 'field', field, subfields: [], subSpecs: [] };
      spec.subSpecs = this.subSpecs(spec);
    }
    if (!this.atEnd()) this.unexpected(spec.kind);
    return spec;
  }

  unexpected(kind: SpecKind): never {
    const c = this.peek();
    const next = kind === 'subfield' ? "'$', '[', '/' or '{'" : kind === 'indicator' ? "'{'" : "'[', '/', '$', '^' or '{'";
    this.fail(`unexpected ${show(c)}: expected ${next} or the end of the spec`);
  }

  fieldSelector(): FieldSelector {
    const start = this.pos;
    let tag = this.tag();
    let linkedTo: string | undefined;
    let tagEnd: string | undefined;
    if (tag === 'LNK' && isTagChar(this.peek())) {
      linkedTo = this.tag();
      tag = '880';
    } else if (this.peek() === '-' && isTagChar(this.peek(1))) {
      this.pos++;
      const endAt = this.pos;
      tagEnd = this.tag();
      if (!/^\d{3}$/.test(tag) || !/^\d{3}$/.test(tagEnd)) this.fail('a tag range takes two numeric tags (600-699)', start);
      if (tagEnd < tag) this.fail(`tag range ${tag}-${tagEnd} ends before it starts`, endAt);
    }
    const field: FieldSelector = { tag };
    if (tagEnd !== undefined) field.tagEnd = tagEnd;
    if (linkedTo !== undefined) field.linkedTo = linkedTo;
    if (this.peek() === '[') field.index = this.index();
    return field;
  }

  tag(): string {
    const start = this.pos;
    let upper = false;
    let lower = false;
    for (let i = 0; i < 3; i++) {
      const c = this.peek();
      if (!isTagChar(c)) {
        if (i === 0) this.fail(`expected a field tag (3 digits, letters or '.'), found ${show(c)}`);
        this.fail(`field tag ${JSON.stringify(this.text.slice(start, this.pos))} is too short: a tag has 3 characters, found ${show(c)}`);
      }
      if (isUpper(c)) upper = true;
      if (isLower(c)) lower = true;
      if (upper && lower) this.fail('a field tag mixes upper and lower case letters');
      this.pos++;
    }
    return this.text.slice(start, this.pos);
  }

  position(what: string): Position {
    const c = this.peek();
    if (c === '#') {
      this.pos++;
      return '#';
    }
    if (!isDigit(c)) this.fail(`expected ${/^[aeiou]/.test(what) ? 'an' : 'a'} ${what} (digits or '#'), found ${show(c)}`);
    const start = this.pos;
    while (isDigit(this.peek())) this.pos++;
    return Number(this.text.slice(start, this.pos));
  }

  range(what: string): PosRange {
    const startAt = this.pos;
    const start = this.position(what);
    if (this.peek() !== '-') return { start, end: start };
    this.pos++;
    const end = this.position(`${what} after '-'`);
    if (typeof start === 'number' && typeof end === 'number' && start > end) {
      this.fail(`range ${start}-${end} ends before it starts`, startAt);
    }
    return { start, end };
  }

  index(): PosRange {
    this.expect('[', "'['");
    const r = this.range('index');
    this.expect(']', "']' to close the index");
    return r;
  }

  charSpec(): PosRange {
    this.expect('/', "'/'");
    return this.range('character position');
  }

  indicator(): 1 | 2 {
    this.expect('^', "'^'");
    const c = this.peek();
    if (c !== '1' && c !== '2') this.fail(`expected indicator 1 or 2 after '^', found ${show(c)}`);
    this.pos++;
    return c === '1' ? 1 : 2;
  }

  subfieldPart(): SubfieldPart {
    const column = this.pos;
    this.expect('$', "'$'");
    const c = this.peek();
    const code = c.charCodeAt(0);
    if (c === '' || !isSubfieldChar(code)) {
      const why = isUpper(c) ? ' (subfield codes are lower case)' : c === '|' ? " ('|' is not a subfield code)" : '';
      this.fail(`expected a subfield code after '$', found ${show(c)}${why}`);
    }
    this.pos++;
    let codes = [c];
    const to = this.peek(1);
    if (this.peek() === '-' && ((isLower(c) && isLower(to)) || (isDigit(c) && isDigit(to)))) {
      if (to < c) this.fail(`subfield range $${c}-${to} ends before it starts`, column);
      codes = [];
      for (let k = c.charCodeAt(0); k <= to.charCodeAt(0); k++) codes.push(String.fromCharCode(k));
      this.pos += 2;
    }
    const part: SubfieldPart = { codes, subSpecs: [], column };
    if (this.peek() === '[') part.index = this.index();
    if (this.peek() === '/') part.chars = this.charSpec();
    return part;
  }

  subSpecs(context: Context): SubSpec[] {
    const out: SubSpec[] = [];
    while (this.peek() === '{') out.push(this.subSpec(context));
    return out;
  }

  subSpec(context: Context): SubSpec {
    this.expect('{', "'{'");
    const alternatives: SubTermSet[] = [this.termSet(context)];
    while (this.peek() === '|') {
      this.pos++;
      alternatives.push(this.termSet(context));
    }
    if (this.peek() !== '}') this.fail(`expected '|' or '}' to close the subSpec, found ${show(this.peek())}`);
    this.pos++;
    const fieldLevel = alternatives.every((set) => !elementBound(set.left, set.operator) && !elementBound(set.right, set.operator));
    return { alternatives, fieldLevel };
  }

  termSet(context: Context): SubTermSet {
    if (OPERATOR_START.has(this.peek())) {
      const operator = this.operator();
      return { left: { kind: 'self' }, operator, right: this.rightTerm(operator, context) };
    }
    const first = this.subTerm(context);
    if (OPERATOR_START.has(this.peek())) {
      const operator = this.operator();
      return { left: first, operator, right: this.rightTerm(operator, context) };
    }
    return { left: { kind: 'self' }, operator: '?', right: first };
  }

  operator(): Operator {
    for (const op of ['!=~', '!=', '!~', '!', '=~', '=', '~', '?'] as const) {
      if (this.text.startsWith(op, this.pos)) {
        this.pos += op.length;
        return op;
      }
    }
    return this.fail(`expected an operator (=, !=, ~, !~, ?, !), found ${show(this.peek())}`);
  }

  rightTerm(operator: Operator, context: Context): SubTerm {
    if (operator === '=~' || operator === '!=~') return this.regex();
    return this.subTerm(context);
  }

  regex(): SubTerm {
    const start = this.pos;
    this.expect('/', "a regular expression in slashes after '=~' (=~/^97[89]/)");
    let source = '';
    let closed = false;
    while (!this.atEnd()) {
      const c = this.peek();
      if (c === '\\' && this.pos + 1 < this.text.length) {
        source += c + this.peek(1);
        this.pos += 2;
        continue;
      }
      this.pos++;
      if (c === '/') {
        closed = true;
        break;
      }
      source += c;
    }
    if (!closed) this.fail("regular expression is not closed with '/'", start);
    const flagsAt = this.pos;
    while (/[a-z]/.test(this.peek())) this.pos++;
    const flags = this.text.slice(flagsAt, this.pos);
    if (/[gy]/.test(flags)) this.fail("flags 'g' and 'y' make a regular expression remember state between tests; leave them out", flagsAt);
    try {
      return { kind: 'regex', regex: new RegExp(source, flags), source: this.text.slice(start, this.pos) };
    } catch (e) {
      return this.fail(`invalid regular expression: ${(e as Error).message}`, start);
    }
  }

  subTerm(context: Context): SubTerm {
    const c = this.peek();
    if (c === '\\') return this.comparisonString();
    if (c === '[' || c === '/' || c === '$' || c === '^') return this.abbreviation(context);
    if (isTagChar(c)) return this.specTerm(context);
    if (c === "'" || c === '"') {
      // Quotes are what most query languages use; MARCspec marks a string with a backslash.
      const close = this.text.indexOf(c, this.pos + 1);
      const inner = close < 0 ? this.text.slice(this.pos + 1) : this.text.slice(this.pos + 1, close);
      return this.fail(`a comparison string starts with a backslash, not a quote: write ${asComparisonString(inner)}`);
    }
    return this.fail(`expected a subterm (a spec such as 245$a, an abbreviation such as $a, ^1 or /0, or a comparison string such as \\text), found ${show(c)}`);
  }

  /** A full fieldSpec, subfieldSpec or indicatorSpec inside a subSpec (no subSpecs of its own). */
  specTerm(context: Context): SubTerm {
    const start = this.pos;
    let spec: Spec;
    try {
      const field = this.fieldSelector();
      const c = this.peek();
      if (c === '/') {
        const chars = this.charSpec();
        if (this.peek() === '^') this.fail('an indicator cannot follow a character position');
        spec = { kind: 'field', field, chars, subfields: [], subSpecs: [] };
      } else if (c === '^') {
        spec = { kind: 'indicator', field, indicator: this.indicator(), subfields: [], subSpecs: [] };
      } else if (c === '$') {
        spec = { kind: 'subfield', field, subfields: [this.subfieldPart()], subSpecs: [] };
      } else {
        spec = { kind: 'field', field, subfields: [], subSpecs: [] };
      }
      this.endOfTerm();
    } catch (e) {
      // `{$2=lcsh}` is the commonest slip: a bare word where a comparison string was meant.
      if (e instanceof QuerySyntaxError) {
        const word = /^[^|}!=~?{$]+/.exec(this.text.slice(start))?.[0];
        if (word !== undefined && !/^[0-9a-zA-Z.]{3}$/.test(word) && !/[[\]/^]/.test(word)) {
          this.fail(`${e.detail}; to compare with the text ${JSON.stringify(word)}, write it as a comparison string: \\${word}`, start);
        }
      }
      throw e;
    }
    const sameField = spec.field.index === undefined && sameSelector(spec.field, context.field);
    return { kind: 'spec', spec, binding: sameField ? 'field' : 'record' };
  }

  endOfTerm(): void {
    const c = this.peek();
    if (c === '' || c === '|' || c === '}' || OPERATOR_START.has(c)) return;
    this.fail(`unexpected ${show(c)} after a subterm: expected an operator, '|' or '}'`);
  }

  /** `[1]`, `[1]/0`, `/0-3`, `$a`, `^1`, `[1]^2`, `[1]$a` relative to the spec outside. */
  abbreviation(context: Context): SubTerm {
    const start = this.pos;
    const base: FieldSelector = { ...context.field };
    let index: PosRange | undefined;
    if (this.peek() === '[') index = this.index();
    const c = this.peek();
    let term: SubTerm;
    if (c === '^') {
      if (index === undefined && context.kind === 'field' && context.chars !== undefined) {
        this.fail('an indicator cannot be used with a spec that has a character position (a control field)');
      }
      const indicator = this.indicator();
      const field = index === undefined ? base : { ...base, index };
      term = { kind: 'spec', spec: { kind: 'indicator', field, indicator, subfields: [], subSpecs: [] }, binding: index === undefined ? 'field' : 'record' };
    } else if (c === '$') {
      const part = this.subfieldPart();
      const field = index === undefined ? base : { ...base, index };
      term = { kind: 'spec', spec: { kind: 'subfield', field, subfields: [part], subSpecs: [] }, binding: index === undefined ? 'field' : 'record' };
    } else {
      const chars = c === '/' ? this.charSpec() : undefined;
      if (index === undefined && chars === undefined) this.fail(`expected an index, '/', '$' or '^', found ${show(c)}`);
      if (context.kind === 'indicator' && index === undefined) {
        this.fail('a character position cannot apply to an indicator value', start);
      }
      term = this.abbreviatedPosition(context, base, index, chars);
    }
    this.endOfTerm();
    return term;
  }

  abbreviatedPosition(context: Context, base: FieldSelector, index: PosRange | undefined, chars: PosRange | undefined): SubTerm {
    const part = context.part;
    if (context.kind === 'subfield' && part !== undefined) {
      // `…$a[0]{[1]}` is `…$a[1]`: an index here counts occurrences of the subfield.
      const sub: SubfieldPart = { codes: part.codes, subSpecs: [], column: part.column };
      if (index !== undefined) sub.index = index;
      else if (part.index !== undefined) sub.index = part.index;
      if (chars !== undefined) sub.chars = chars;
      const spec: Spec = { kind: 'subfield', field: base, subfields: [sub], subSpecs: [] };
      return { kind: 'spec', spec, binding: index === undefined ? 'element' : 'field' };
    }
    const field = index === undefined ? base : { ...base, index };
    const spec: Spec = { kind: 'field', field, subfields: [], subSpecs: [] };
    if (chars !== undefined) spec.chars = chars;
    return { kind: 'spec', spec, binding: index === undefined ? 'element' : 'record' };
  }

  comparisonString(): SubTerm {
    this.expect('\\', "'\\'");
    let value = '';
    let first = true;
    while (!this.atEnd()) {
      const c = this.peek();
      if (c === '\\') {
        const next = this.peek(1);
        if (next === '') this.fail("a comparison string ends with a lone '\\'");
        value += next === 's' ? ' ' : next;
        this.pos += 2;
        first = false;
        continue;
      }
      // The first character after the leading '\' is literal (`\=test`, `\/`): the test suite's
      // "unescaped character '=' at beginning is valid".
      if (!first && COMPARISON_STOP.has(c)) break;
      const code = c.charCodeAt(0);
      if (code <= 0x20 || code === 0x7f) {
        this.fail(code === 0x20 ? 'a space in a comparison string must be written \\s' : 'control character in a comparison string');
      }
      value += c;
      this.pos++;
      first = false;
    }
    return { kind: 'string', value };
  }
}

/** `text` as a MARCspec comparison string: a leading backslash, spaces as \s, specials escaped. */
function asComparisonString(text: string): string {
  let out = '\\';
  for (const ch of text) out += ch === ' ' ? '\\s' : ch === '\\' || COMPARISON_STOP.has(ch) ? '\\' + ch : ch;
  return out;
}

function sameSelector(a: FieldSelector, b: FieldSelector): boolean {
  return a.tag === b.tag && a.tagEnd === b.tagEnd && a.linkedTo === b.linkedTo;
}

function elementBound(term: SubTerm, operator: Operator): boolean {
  if (term.kind === 'self') return operator !== '?' && operator !== '!';
  return term.kind === 'spec' && term.binding === 'element';
}

/** Parses a MARCspec; throws QuerySyntaxError with the 1-based column of the first fault. */
export function parseSpec(text: string): Spec {
  if (typeof text !== 'string') throw new TypeError('a MARCspec is a string');
  return new Parser(text).parseTop();
}

export type { Binding };
