// Kafka's Sanitizer: user, client id and ip names become ZooKeeper node names URL-encoded as Java's
// URLEncoder does (letters, digits, '.', '-' and '_' kept, every other UTF-8 byte as %XX), with '*'
// and ' ' written %2A and %20, so a name never holds '/' or a wildcard.

const KEPT = /[A-Za-z0-9._-]/;

export function sanitize(name: string): string {
  let out = '';
  for (const ch of name) {
    if (KEPT.test(ch)) {
      out += ch;
      continue;
    }
    for (const byte of Buffer.from(ch, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** URLDecoder.decode: '+' is a space, %XX a UTF-8 byte. A malformed name is returned as it is. */
export function desanitize(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}
