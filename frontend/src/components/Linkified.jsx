// Plain text with its web addresses made into links. The text stays text (Preact escapes it);
// only http(s) addresses become <a>, so no markup or script from a description gets through.
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"]+/g;
const TRAILING = /[.,;:!?)\]}'’”]+$/; // sentence punctuation after an address is not part of it

export function linkParts(text) {
  const parts = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const href = match[0].replace(TRAILING, '');
    if (match.index > last) parts.push(text.slice(last, match.index));
    parts.push({ href });
    last = match.index + href.length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

export function Linkified({ text }) {
  return linkParts(text).map((part, i) =>
    typeof part === 'string' ? part : (
      <a key={i} href={part.href} rel="noopener noreferrer nofollow ugc" target="_blank">
        {part.href}
      </a>
    ));
}
