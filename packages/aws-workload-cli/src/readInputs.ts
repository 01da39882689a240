import { parse as parseHcl } from '@cdktf/hcl2json';
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { InputDocument } from './inspect';

const EXTENSIONS = new Set(['.yaml', '.yml', '.json', '.tf']);

/** An input that cannot be read: the file and why. */
export class UnreadableInputError extends Error {
  readonly name = 'UnreadableInputError';
  constructor(readonly file: string, reason: string) {
    super(`${file}: ${reason}`);
  }
}

async function filesUnder(target: string): Promise<string[]> {
  let stat;
  try {
    stat = await fs.stat(target);
  } catch (e) {
    throw new UnreadableInputError(
      target,
      (e as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'no such file or directory'
        : String(e),
    );
  }
  if (stat.isFile()) return [target];
  const entries = await fs.readdir(target, { withFileTypes: true });
  const nested = await Promise.all(
    entries
      .filter(e => !e.name.startsWith('.') && e.name !== 'node_modules')
      .map(e => {
        const full = path.join(target, e.name);
        if (e.isDirectory()) return filesUnder(full);
        return Promise.resolve(
          EXTENSIONS.has(path.extname(e.name)) ? [full] : [],
        );
      }),
  );
  return nested.flat().sort();
}

async function readFile(file: string): Promise<InputDocument[]> {
  const text = await fs.readFile(file, 'utf8').catch(e => {
    throw new UnreadableInputError(file, String(e));
  });
  if (file.endsWith('.tf')) {
    try {
      return [{ file, object: await parseHcl(file, text) }];
    } catch (e) {
      throw new UnreadableInputError(
        file,
        `not valid HCL: ${(e as Error).message}`,
      );
    }
  }
  const documents = parseAllDocuments(text);
  const list = Array.isArray(documents) ? documents : [documents];
  const broken = list.find(d => d.errors.length > 0);
  if (broken) {
    throw new UnreadableInputError(
      file,
      `not valid YAML: ${broken.errors[0].message.split('\n')[0]}`,
    );
  }
  return list
    .map(d => ({ file, object: d.toJS() }))
    .filter(d => d.object !== null);
}

/** Every document of the files and directories given (recursively). */
export async function readInputs(targets: string[]): Promise<InputDocument[]> {
  const files = (await Promise.all(targets.map(filesUnder))).flat();
  return (await Promise.all(files.map(readFile))).flat();
}
