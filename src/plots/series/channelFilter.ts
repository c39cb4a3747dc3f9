/**
 * The plots' channel search: which channels a search text keeps.
 *
 * A text with a glob character (`*`, `?`, `[`) matches whole channel names
 * as a glob (`loss.*`, `*.val`); any other text matches as a substring
 * (`loss` keeps `loss.train` and `val_loss`). Case is ignored; an empty
 * text keeps every channel.
 */
export function channelFilter(text: string): (channel: string) => boolean {
  const query = text.trim().toLowerCase();
  if (!query) {
    return () => true;
  }
  if (!/[*?[]/.test(query)) {
    return channel => channel.toLowerCase().includes(query);
  }
  const pattern = new RegExp(`^${globToRegExp(query)}$`);
  return channel => pattern.test(channel.toLowerCase());
}

/** fnmatch's glob as a regular expression's source: `*`, `?`, `[...]`, `[!...]`. */
function globToRegExp(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      out += '.*';
    } else if (c === '?') {
      out += '.';
    } else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) {
        out += '\\[';
        continue;
      }
      let body = glob.slice(i + 1, end).replace(/\\/g, '\\\\');
      if (body.startsWith('!')) {
        body = '^' + body.slice(1);
      }
      out += `[${body}]`;
      i = end;
    } else {
      out += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
    }
  }
  return out;
}
