/**
 * A linear scan of the raw markup that xmldom 0.8 is lenient about (ATK-14, ATK-19, ATK-29):
 * stray or mismatched end tags (`<a>x</b></a>` parses silently), unterminated comments, PIs
 * and CDATA sections, `<` in attribute values, a bare `&`, `]]>` in text. It does not build
 * anything: xmldom stays the parser; this only refuses what a strict XML parser refuses, so
 * every peer reads the same tree. Returns the number of start tags, which the parser compares
 * with the number of elements xmldom built.
 */
import { refuse } from './errors.ts';

const NAME = /[^\s/>=<"'&]+/y;
const SPACE = /[ \t\r\n]*/y;
const BAD_AMP = /&(?!#[0-9]+;|#x[0-9A-Fa-f]+;|(?:lt|gt|amp|quot|apos);)/;

export function checkMarkup(text: string): number {
  const open: string[] = [];
  let starts = 0;
  let pos = 0;
  while (pos < text.length) {
    const lt = text.indexOf('<', pos);
    checkCharData(text.slice(pos, lt < 0 ? text.length : lt));
    if (lt < 0) break;
    if (text.startsWith('<!--', lt)) pos = after(text, '-->', lt + 4);
    else if (text.startsWith('<![CDATA[', lt)) {
      if (open.length === 0) malformed('CDATA outside the root');
      pos = after(text, ']]>', lt + 9);
    } else if (text.startsWith('<?', lt)) pos = after(text, '?>', lt + 2);
    else if (text.startsWith('</', lt)) pos = endTag(text, lt + 2, open);
    else if (text.startsWith('<!', lt)) malformed('markup declaration');
    else {
      starts++;
      pos = startTag(text, lt + 1, open);
    }
  }
  if (open.length > 0) malformed('unclosed element');
  return starts;
}

function malformed(detail: string): never {
  return refuse('XML_MALFORMED', detail);
}

function after(text: string, close: string, from: number): number {
  const at = text.indexOf(close, from);
  if (at < 0) malformed(`unterminated ${close}`);
  return at + close.length;
}

function checkCharData(data: string): void {
  if (data.includes(']]>')) malformed(']]> in text');
  if (BAD_AMP.test(data)) malformed('bare & in text');
}

function nameAt(text: string, at: number): string {
  NAME.lastIndex = at;
  const m = NAME.exec(text);
  if (!m) malformed('missing name');
  return m[0];
}

function skipSpace(text: string, at: number): number {
  SPACE.lastIndex = at;
  SPACE.exec(text);
  return SPACE.lastIndex;
}

function endTag(text: string, at: number, open: string[]): number {
  const name = nameAt(text, at);
  const i = skipSpace(text, at + name.length);
  if (text[i] !== '>') malformed('junk in end tag');
  if (open.pop() !== name) malformed('end tag does not match');
  return i + 1;
}

function startTag(text: string, at: number, open: string[]): number {
  const name = nameAt(text, at);
  let i = at + name.length;
  for (;;) {
    const spaced = skipSpace(text, i);
    if (text[spaced] === '>') {
      open.push(name);
      return spaced + 1;
    }
    if (text.startsWith('/>', spaced)) return spaced + 2;
    if (spaced === i) malformed('attributes must be separated by whitespace');
    i = attribute(text, spaced);
  }
}

function attribute(text: string, at: number): number {
  const name = nameAt(text, at);
  let i = skipSpace(text, at + name.length);
  if (text[i] !== '=') malformed('attribute without value');
  i = skipSpace(text, i + 1);
  const quote = text[i];
  if (quote !== '"' && quote !== "'") malformed('unquoted attribute value');
  const close = text.indexOf(quote, i + 1);
  if (close < 0) malformed('unterminated attribute value');
  const value = text.slice(i + 1, close);
  if (value.includes('<')) malformed('< in attribute value');
  if (BAD_AMP.test(value)) malformed('bare & in attribute value');
  return close + 1;
}
