/**
 * Files as a sequence of named units (a Terraform block, a CDK statement)
 * and the text between them, so that a fix swaps the units it owns and
 * leaves every other byte of the user's file as it is.
 */
export interface TextUnit {
  /** `resource.aws_iam_role.service`; undefined for text between units. */
  key?: string;
  text: string;
}

/** Text between units, where there is some: units join with newlines. */
function pushText(units: TextUnit[], lines: string[]) {
  if (lines.length > 0) units.push({ text: lines.join('\n') });
}

/** The last line of a statement that starts on line `start`. */
function statementEnd(lines: string[], start: number): number {
  if (/\);\s*$/.test(lines[start])) return start;
  return lines.findIndex((l, j) => j > start && /^ {4}\}\);\s*$/.test(l));
}

/** Drops a dropped unit's separating blank line, the last of the text before it. */
function dropBlankLineBefore(units: TextUnit[]) {
  const last = units[units.length - 1];
  if (!last || last.key) return;
  const lines = last.text.split('\n');
  if (lines[lines.length - 1].trim() !== '') return;
  lines.pop();
  if (lines.length === 0) units.pop();
  else units[units.length - 1] = { text: lines.join('\n') };
}

const TERRAFORM_HEADER =
  /^(resource|data)\s+"([^"]+)"\s+"([^"]+)"\s*\{\s*$|^(locals|terraform|provider|module|output|variable)\b.*\{\s*$/;

/**
 * Top-level blocks of a `terraform fmt`-formatted file: a header line at
 * column 0, up to the first `}` at column 0, with the comment lines right
 * above it.
 */
export function terraformUnits(content: string): TextUnit[] {
  const lines = content.split('\n');
  const units: TextUnit[] = [];
  let between: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const header = TERRAFORM_HEADER.exec(lines[i]);
    if (!header) {
      between.push(lines[i]);
      continue;
    }
    const end = lines.findIndex((l, j) => j > i && l === '}');
    if (end < 0) {
      between.push(lines[i]);
      continue;
    }
    let comments = 0;
    while (
      comments < between.length &&
      between[between.length - 1 - comments].startsWith('#')
    ) {
      comments++;
    }
    const leading = between.splice(between.length - comments, comments);
    pushText(units, between);
    between = [];
    const key = header[1]
      ? `${header[1]}.${header[2]}.${header[3]}`
      : `${header[4]}.${i}`;
    units.push({
      key: header[4] === 'locals' ? 'locals' : key,
      text: [...leading, ...lines.slice(i, end + 1)].join('\n'),
    });
    i = end;
  }
  pushText(units, between);
  return units;
}

/**
 * Statements of a CDK stack's constructor that start with one of `starts`
 * (at four spaces of indentation, as generated) and end at the next line
 * that closes them at the same indentation.
 */
export function statementUnits(
  content: string,
  starts: Record<string, RegExp>,
): TextUnit[] {
  const lines = content.split('\n');
  const units: TextUnit[] = [];
  let between: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const key = Object.keys(starts).find(k => starts[k].test(lines[i]));
    const end = key ? statementEnd(lines, i) : -1;
    if (!key || end < 0) {
      between.push(lines[i]);
      continue;
    }
    pushText(units, between);
    between = [];
    units.push({ key, text: lines.slice(i, end + 1).join('\n') });
    i = end;
  }
  pushText(units, between);
  return units;
}

/**
 * The current units with those named in `owned` taken from `target`: kept
 * where both have them, dropped where only the current file has them, and
 * put before the next unit they precede in the target where only the target
 * has them (or after `anchor`).
 */
export function swapUnits(
  current: TextUnit[],
  target: TextUnit[],
  owned: string[],
  anchor: string,
): TextUnit[] {
  const targetByKey = new Map(target.filter(u => u.key).map(u => [u.key!, u]));
  const result: TextUnit[] = [];
  for (const unit of current) {
    if (!unit.key || !owned.includes(unit.key)) {
      result.push(unit);
    } else if (targetByKey.has(unit.key)) {
      result.push(targetByKey.get(unit.key)!);
    } else {
      dropBlankLineBefore(result);
    }
  }
  const present = new Set(result.map(u => u.key));
  const missing = target.filter(
    u => u.key && owned.includes(u.key) && !present.has(u.key),
  );
  for (const unit of missing) {
    const after = target.slice(target.indexOf(unit) + 1);
    const next = after.find(u => u.key && present.has(u.key));
    const at = next
      ? result.findIndex(u => u.key === next.key)
      : result.findIndex(u => u.key === anchor) + 1;
    if (next) result.splice(at, 0, unit, { text: '' });
    else result.splice(at, 0, { text: '' }, unit);
    present.add(unit.key);
  }
  return result;
}

export const joinUnits = (units: TextUnit[]) =>
  units.map(u => u.text).join('\n');
