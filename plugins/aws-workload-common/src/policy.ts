/**
 * A small evaluator of IAM identity policies: does a set of policy documents
 * allow an action on a resource? It follows IAM's rules for Allow, Deny,
 * Action/NotAction, Resource/NotResource and wildcards, and reports
 * statements with conditions as "conditional", since their outcome depends on
 * the request. It does not know permission boundaries, SCPs or session
 * policies: where the backend may call iam:SimulatePrincipalPolicy, that
 * answer wins.
 */

/** @public */
export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: '*' | Record<string, string | string[]>;
  Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

/** @public */
export interface PolicyDocument {
  Version?: string;
  Statement: PolicyStatement | PolicyStatement[];
}

export type Decision = 'allowed' | 'denied' | 'implicit-deny' | 'conditional';

export function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

const WILDCARDS: Record<string, string> = { '*': '.*', '?': '.' };

export const statementsOf = (doc: PolicyDocument): PolicyStatement[] =>
  asArray(doc.Statement);

/** IAM wildcards: `*` any run of characters, `?` one character. */
export function wildcardMatch(
  pattern: string,
  value: string,
  caseInsensitive = false,
): boolean {
  const source = pattern
    .split('')
    .map(ch => WILDCARDS[ch] ?? ch.replace(/[.+^${}()|[\]\\/]/g, '\\$&'))
    .join('');
  return new RegExp(`^${source}$`, caseInsensitive ? 'i' : '').test(value);
}

const matchesAny = (patterns: string[], value: string, ci: boolean) =>
  patterns.some(p => wildcardMatch(p, value, ci));

/** Action/NotAction or Resource/NotResource: one of the pair is present. */
function elementMatches(
  positive: string | string[] | undefined,
  negative: string | string[] | undefined,
  value: string,
  caseInsensitive: boolean,
): boolean {
  if (positive !== undefined) {
    return matchesAny(asArray(positive), value, caseInsensitive);
  }
  if (negative !== undefined) {
    return !matchesAny(asArray(negative), value, caseInsensitive);
  }
  return false;
}

function statementApplies(
  s: PolicyStatement,
  action: string,
  resource: string,
) {
  return (
    elementMatches(s.Action, s.NotAction, action, true) &&
    elementMatches(s.Resource, s.NotResource, resource, false)
  );
}

/** The decision of a set of identity policies for one action on one resource. */
export function evaluate(
  documents: PolicyDocument[],
  action: string,
  resource: string,
): Decision {
  const applicable = documents
    .flatMap(statementsOf)
    .filter(s => statementApplies(s, action, resource));
  const denies = applicable.filter(s => s.Effect === 'Deny');
  if (denies.some(s => !s.Condition)) return 'denied';
  const allows = applicable.filter(s => s.Effect === 'Allow');
  if (allows.some(s => !s.Condition) && denies.length === 0) return 'allowed';
  if (allows.length > 0) return 'conditional';
  return 'implicit-deny';
}

/**
 * Policy documents arrive URL-encoded from IAM (GetRole, GetPolicyVersion, ...).
 *
 * @public
 */
export function decodePolicyDocument(raw: string): PolicyDocument {
  const text = raw.trim().startsWith('{') ? raw : decodeURIComponent(raw);
  const doc = JSON.parse(text) as PolicyDocument;
  if (!doc || typeof doc !== 'object' || doc.Statement === undefined) {
    throw new Error('a policy document has a Statement');
  }
  return doc;
}

/** A least-privilege statement: exactly these actions, on this table only. */
export function tableAccessPolicy(
  tableArn: string,
  actions: string[],
): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: actions, Resource: tableArn }],
  };
}
