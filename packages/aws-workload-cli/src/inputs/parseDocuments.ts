import { parse as parseHcl } from '@cdktf/hcl2json';
import { isMap, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import { InputDocument } from '../types';

/** An input that cannot be read: the file and why. */
export class UnreadableInputError extends Error {
  readonly name = 'UnreadableInputError';
  constructor(readonly file: string, readonly reason: string) {
    super(`${file}: ${reason}`);
  }
}

/** A file that is read but holds nothing to inspect, and why. */
export class SkippedFileError extends Error {
  readonly name = 'SkippedFileError';
  constructor(readonly file: string, readonly reason: string) {
    super(`${file}: ${reason}`);
  }
}

/** Helm and other Go templates: `{{ ... }}` outside a YAML string. */
const GO_TEMPLATE = /\{\{[-\s]/;

async function parseTerraform(
  file: string,
  text: string,
): Promise<InputDocument[]> {
  try {
    return [{ file, format: 'terraform', object: await parseHcl(file, text) }];
  } catch (e) {
    throw new UnreadableInputError(
      file,
      `not valid HCL: ${(e as Error).message.split('\n')[0]}`,
    );
  }
}

/** The line of each item of a `List` document, so findings point at it. */
function itemLinesOf(
  contents: unknown,
  lineOf: (offset: number) => number,
): number[] | undefined {
  if (!isMap(contents)) return undefined;
  const items = contents.get('items', true);
  if (!isSeq(items)) return undefined;
  return items.items.map(item =>
    lineOf((item as { range?: [number] }).range?.[0] ?? 0),
  );
}

/**
 * The documents of a YAML or JSON text (JSON is YAML), each with its line.
 * A file that does not parse is unreadable, unless it is a Go template,
 * which is skipped with a pointer to its rendered form.
 */
export async function parseDocuments(
  file: string,
  text: string,
): Promise<InputDocument[]> {
  if (file.endsWith('.tf')) return parseTerraform(file, text);
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter });
  const list = Array.isArray(documents) ? documents : [documents];
  const broken = list.find(d => d.errors.length > 0);
  if (broken) {
    if (GO_TEMPLATE.test(text)) {
      throw new SkippedFileError(
        file,
        'a Go template (Helm chart?): inspect its rendered output, for example `helm template . | aws-workload inspect -`',
      );
    }
    throw new UnreadableInputError(
      file,
      `not valid YAML: ${broken.errors[0].message.split('\n')[0]}`,
    );
  }
  const lineOf = (offset: number) => lineCounter.linePos(offset).line;
  return list.flatMap((d, index) => {
    const object = d.toJS({ maxAliasCount: 100 });
    if (object === null || object === undefined) return [];
    const contents = d.contents as { range?: [number] } | null;
    return [
      {
        file,
        format: 'yaml' as const,
        document: index,
        line: lineOf(contents?.range?.[0] ?? 0),
        object,
        itemLines: itemLinesOf(d.contents, lineOf),
      },
    ];
  });
}
