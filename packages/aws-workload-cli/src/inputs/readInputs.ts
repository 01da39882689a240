import fs from 'node:fs/promises';
import path from 'node:path';
import { InputDocument, SkippedInput } from '../types';
import {
  KUSTOMIZATION_FILES,
  kustomizationNamespace,
  kustomizeCommand,
  renderKustomization,
} from './kustomize';
import {
  parseDocuments,
  SkippedFileError,
  UnreadableInputError,
} from './parseDocuments';

const EXTENSIONS = new Set(['.yaml', '.yml', '.json', '.tf']);
/** Folders that never hold a project's manifests. */
const IGNORED_DIRS = new Set(['.git', 'node_modules']);

/** What the inspector reads besides the paths: the environment it runs in. */
export interface ReadOptions {
  env: NodeJS.ProcessEnv;
  /** Standard input's text, read when a target is `-`. */
  readStdin: () => Promise<string>;
  /** A path as the user should read it in a note. */
  display?: (file: string) => string;
}

/** What was read, what was skipped, and what could not be read. */
export interface ReadResult {
  documents: InputDocument[];
  skipped: SkippedInput[];
  unreadable: UnreadableInputError[];
  notes: string[];
}

interface Walk extends ReadResult {
  options: ReadOptions;
}

async function readFile(file: string, walk: Walk, namespaceOverride?: string) {
  try {
    const text = await fs.readFile(file, 'utf8');
    const documents = await parseDocuments(file, text);
    walk.documents.push(
      ...documents.map(d =>
        namespaceOverride ? { ...d, namespaceOverride } : d,
      ),
    );
  } catch (e) {
    if (e instanceof SkippedFileError) {
      walk.skipped.push({ file, reason: e.reason });
    } else if (e instanceof UnreadableInputError) {
      walk.unreadable.push(e);
    } else {
      walk.unreadable.push(new UnreadableInputError(file, String(e)));
    }
  }
}

/** A CDK app's output: only the synthesized templates matter, not its assets. */
const inCdkOut = (dir: string) => path.basename(dir) === 'cdk.out';

async function readKustomization(
  dir: string,
  kustomizationFile: string,
  walk: Walk,
): Promise<boolean> {
  const how = await kustomizeCommand(walk.options.env);
  if (!how) {
    const namespace = kustomizationNamespace(
      await fs.readFile(kustomizationFile, 'utf8').catch(() => ''),
    );
    const shown = walk.options.display?.(dir) ?? dir;
    walk.notes.push(
      `${shown}: kustomization not rendered (neither kustomize nor kubectl is on PATH); its files were read as they are${
        namespace ? `, with its namespace ${namespace}` : ''
      }.`,
    );
    await readDir(dir, walk, namespace, kustomizationFile);
    return true;
  }
  try {
    const text = await renderKustomization(dir, how, walk.options.env);
    const documents = await parseDocuments(kustomizationFile, text);
    // Lines of the rendered output are not lines of any file.
    walk.documents.push(
      ...documents.map(({ line: _l, itemLines: _i, ...d }) => d),
    );
  } catch (e) {
    walk.unreadable.push(
      e instanceof UnreadableInputError
        ? e
        : new UnreadableInputError(kustomizationFile, (e as Error).message),
    );
  }
  return true;
}

async function readDir(
  dir: string,
  walk: Walk,
  namespaceOverride?: string,
  renderedFrom?: string,
): Promise<void> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  const kustomization = entries.find(
    e => e.isFile() && KUSTOMIZATION_FILES.includes(e.name),
  );
  if (kustomization && !renderedFrom) {
    await readKustomization(dir, path.join(dir, kustomization.name), walk);
    return;
  }
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (IGNORED_DIRS.has(entry.name)) continue;
      if (inCdkOut(dir)) continue;
      await readDir(full, walk, namespaceOverride, renderedFrom);
    } else if (
      entry.isFile() &&
      full !== renderedFrom &&
      EXTENSIONS.has(path.extname(entry.name)) &&
      (!inCdkOut(dir) || entry.name.endsWith('.template.json'))
    ) {
      await readFile(full, walk, namespaceOverride);
    }
  }
}

async function readTarget(target: string, walk: Walk) {
  if (target === '-') {
    try {
      walk.documents.push(
        ...(await parseDocuments('-', await walk.options.readStdin())),
      );
    } catch (e) {
      if (e instanceof SkippedFileError)
        walk.skipped.push({ file: '-', reason: e.reason });
      else walk.unreadable.push(e as UnreadableInputError);
    }
    return;
  }
  let stat;
  try {
    stat = await fs.stat(target);
  } catch (e) {
    walk.unreadable.push(
      new UnreadableInputError(
        target,
        (e as NodeJS.ErrnoException).code === 'ENOENT'
          ? 'no such file or directory'
          : String(e),
      ),
    );
    return;
  }
  if (stat.isDirectory()) await readDir(target, walk);
  else await readFile(target, walk);
}

/**
 * Every document of the files and directories given (recursively, folders
 * starting with a dot included, `.git` and `node_modules` not), and of
 * standard input for `-`. An unreadable file is recorded, not fatal: the
 * caller reports the rest, then names it.
 */
export async function readInputs(
  targets: string[],
  options: ReadOptions,
): Promise<ReadResult> {
  const walk: Walk = {
    documents: [],
    skipped: [],
    unreadable: [],
    notes: [],
    options,
  };
  for (const target of targets) await readTarget(target, walk);
  const { options: _options, ...result } = walk;
  return result;
}
