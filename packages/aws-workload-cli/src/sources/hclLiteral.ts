/**
 * The value of an HCL object or tuple literal, as Terraform writes inside
 * `jsonencode(...)` (which hcl2json hands over as text). References become
 * their text; function calls and `for` expressions are not evaluated, so
 * they give `undefined` and the caller treats the value as unread.
 */
export function parseHclLiteral(text: string): unknown {
  const tokens = tokenize(text);
  if (!tokens) return undefined;
  let at = 0;
  const peek = () => tokens[at];
  const next = () => tokens[at++];
  const skipSeparators = () => {
    while (peek() === ',' || peek() === '\n') at++;
  };

  function value(): unknown {
    while (peek() === '\n') at++;
    const token = next();
    if (token === undefined) throw new Error('end of input');
    if (token === '{') return object();
    if (token === '[') return tuple();
    if (typeof token === 'object') return token.string;
    if (/^-?\d+(\.\d+)?$/.test(token)) return Number(token);
    if (token === 'true' || token === 'false') return token === 'true';
    if (token === 'null') return null;
    if (/^[A-Za-z_][\w.\-[\]*]*$/.test(token) && peek() !== '(') return token;
    throw new Error(`unsupported expression at ${token}`);
  }

  function object(): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    skipSeparators();
    while (peek() !== '}') {
      const key = next();
      if (key === undefined) throw new Error('unclosed object');
      const name = typeof key === 'object' ? key.string : key;
      const eq = next();
      if (eq !== '=' && eq !== ':') throw new Error(`expected = after ${name}`);
      result[name] = value();
      skipSeparators();
    }
    at++;
    return result;
  }

  function tuple(): unknown[] {
    const result: unknown[] = [];
    skipSeparators();
    while (peek() !== ']') {
      result.push(value());
      skipSeparators();
    }
    at++;
    return result;
  }

  try {
    const result = value();
    while (peek() === '\n') at++;
    return at === tokens.length ? result : undefined;
  } catch {
    return undefined;
  }
}

type Token = string | { string: string };

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r' };

function tokenize(text: string): Token[] | undefined {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      let out = '';
      while (j < text.length && text[j] !== '"') {
        if (text[j] === '\\' && j + 1 < text.length) {
          const escaped = text[j + 1];
          out += ESCAPES[escaped] ?? escaped;
          j += 2;
        } else if (text.startsWith('${', j)) {
          // An interpolation: keep it as written, braces balanced.
          let depth = 0;
          const start = j;
          do {
            if (text[j] === '{') depth++;
            if (text[j] === '}') depth--;
            j++;
          } while (j < text.length && depth > 0);
          out += text.slice(start, j);
        } else {
          out += text[j++];
        }
      }
      if (j >= text.length) return undefined;
      tokens.push({ string: out });
      i = j + 1;
    } else if (c === '#' || text.startsWith('//', i)) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if ('{}[]=:,()'.includes(c)) {
      tokens.push(c);
      i++;
    } else if (c === '\n') {
      tokens.push('\n');
      i++;
    } else if (/\s/.test(c)) {
      i++;
    } else {
      const match = /^[^\s{}[\]=:,()"#]+/.exec(text.slice(i));
      if (!match) return undefined;
      tokens.push(match[0]);
      i += match[0].length;
    }
  }
  return tokens;
}
