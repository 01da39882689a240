/**
 * One requirement of a Kubernetes label selector, as the API server parses
 * it (k8s.io/apimachinery/pkg/labels).
 *
 * @public
 */
export type LabelRequirement =
  | { key: string; operator: 'exists' | 'doesNotExist' }
  | { key: string; operator: 'in' | 'notIn'; values: string[] }
  | { key: string; operator: 'gt' | 'lt'; value: number };

/**
 * Splits at the commas between requirements, not at those inside a set's
 * parentheses.
 */
function splitRequirements(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (c === '(') depth += 1;
    if (c === ')') depth -= 1;
    if (c === ',' && depth === 0) {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms.map(t => t.trim());
}

const KEY = String.raw`(?:[a-z0-9](?:[-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?`;
const VALUE = String.raw`(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?)?`;
const EXISTS = new RegExp(`^(!?)\\s*(${KEY})$`);
const EQUALITY = new RegExp(`^(${KEY})\\s*(==|=|!=)\\s*(${VALUE})$`);
const SET = new RegExp(
  `^(${KEY})\\s+(in|notin)\\s*\\(\\s*(${VALUE}(?:\\s*,\\s*${VALUE})*)\\s*\\)$`,
);
const NUMERIC = new RegExp(`^(${KEY})\\s*([<>])\\s*(-?\\d+)$`);

/**
 * Parses a label selector: `key`, `!key`, `key=value`, `key==value`,
 * `key!=value`, `key in (a,b)`, `key notin (a,b)`, `key>1`, `key<1`,
 * comma-separated. Throws on anything else, as the API server answers 400.
 *
 * @public
 */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  if (!selector.trim()) return [];
  return splitRequirements(selector).map(term => {
    const exists = EXISTS.exec(term);
    if (exists) {
      return {
        key: exists[2],
        operator: exists[1] ? 'doesNotExist' : 'exists',
      } as const;
    }
    const equality = EQUALITY.exec(term);
    if (equality) {
      return {
        key: equality[1],
        operator: equality[2] === '!=' ? 'notIn' : 'in',
        values: [equality[3]],
      } as const;
    }
    const set = SET.exec(term);
    if (set) {
      return {
        key: set[1],
        operator: set[2] === 'notin' ? 'notIn' : 'in',
        values: set[3].split(',').map(v => v.trim()),
      } as const;
    }
    const numeric = NUMERIC.exec(term);
    if (numeric) {
      return {
        key: numeric[1],
        operator: numeric[2] === '>' ? 'gt' : 'lt',
        value: Number(numeric[3]),
      } as const;
    }
    throw new Error(`unable to parse requirement: ${JSON.stringify(term)}`);
  });
}

/**
 * Whether labels meet every requirement. As in Kubernetes, `!=` and
 * `notin` also match objects without the key.
 *
 * @public
 */
export function matchesLabelSelector(
  labels: Record<string, string> | undefined,
  selector: string | LabelRequirement[] | null | undefined,
): boolean {
  if (!selector) return true;
  const requirements =
    typeof selector === 'string' ? parseLabelSelector(selector) : selector;
  return requirements.every(requirement => {
    const value = labels?.[requirement.key];
    switch (requirement.operator) {
      case 'exists':
        return value !== undefined;
      case 'doesNotExist':
        return value === undefined;
      case 'in':
        return value !== undefined && requirement.values.includes(value);
      case 'notIn':
        return value === undefined || !requirement.values.includes(value);
      case 'gt':
      case 'lt': {
        const n = Number(value);
        if (value === undefined || !Number.isInteger(n)) return false;
        return requirement.operator === 'gt'
          ? n > requirement.value
          : n < requirement.value;
      }
      default:
        return false;
    }
  });
}
