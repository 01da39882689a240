import { parse as parseHcl } from '@cdktf/hcl2json';
import path from 'node:path';
import ts from 'typescript';
import { parseAllDocuments } from 'yaml';

/**
 * Why a generated file does not parse in its own format (JSON, YAML, HCL,
 * TypeScript), or undefined. A template value that breaks out of a string
 * shows up here before anyone commits the file.
 */
export async function parseProblem(
  file: string,
  text: string,
): Promise<string | undefined> {
  const ext = path.extname(file);
  try {
    if (ext === '.json') {
      JSON.parse(text);
    } else if (ext === '.yaml' || ext === '.yml') {
      const broken = parseAllDocuments(text).find(
        (d: any) => (d.errors ?? []).length > 0,
      ) as any;
      if (broken) return broken.errors[0].message.split('\n')[0];
    } else if (ext === '.tf') {
      await parseHcl(file, text);
    } else if (ext === '.ts') {
      const source = ts.createSourceFile(
        file,
        text,
        ts.ScriptTarget.Latest,
        false,
        ts.ScriptKind.TS,
      );
      const diagnostics = (source as any).parseDiagnostics as ts.Diagnostic[];
      if (diagnostics.length > 0) {
        return ts.flattenDiagnosticMessageText(
          diagnostics[0].messageText,
          '\n',
        );
      }
    }
  } catch (e) {
    return (e as Error).message.split('\n')[0];
  }
  return undefined;
}
