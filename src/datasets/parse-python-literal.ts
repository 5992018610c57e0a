const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v' };

/** One quoted Python string starting at `start` (the quote); returns the text and the index after it. */
const readString = (s: string, start: number): [string, number] => {
  const quote = s[start];
  let out = '';
  let i = start + 1;
  while (i < s.length && s[i] !== quote) {
    const c = s[i] as string;
    if (c !== '\\') {
      out += c;
      i += 1;
      continue;
    }
    const e = s[i + 1] ?? '';
    const hex = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    if (hex > 0) {
      out += String.fromCodePoint(parseInt(s.slice(i + 2, i + 2 + hex), 16));
      i += 2 + hex;
    } else {
      out += ESCAPES[e] ?? '\\' + e;
      i += 2;
    }
  }
  return [out, i + 1];
};

/**
 * A Python `repr` of a list of strings (`['a', "it's"]`), as RouterBench's CSV stores prompts and
 * responses. Hand-written because it is a tiny grammar (quoted strings with backslash escapes,
 * commas, brackets) and no maintained npm package parses Python literals. A value that is not a
 * list literal is returned as a single string.
 */
export const parsePythonStringList = (s: string): string[] => {
  const t = s.trim();
  if (!t.startsWith('[') || !t.endsWith(']')) return [s];
  const out: string[] = [];
  let i = 1;
  while (i < t.length - 1) {
    const c = t[i];
    if (c === "'" || c === '"') {
      const [str, next] = readString(t, i);
      out.push(str);
      i = next;
    } else i += 1;
  }
  return out;
};
