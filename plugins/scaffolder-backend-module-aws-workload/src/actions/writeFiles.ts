import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes rendered files under a path of the workspace (refusing paths that
 * leave it), creating their directories; returns their workspace paths.
 */
export async function writeRenderedFiles(
  workspacePath: string,
  targetPath: string,
  files: { path: string; content: string }[],
): Promise<string[]> {
  const dir = resolveSafeChildPath(workspacePath, targetPath);
  for (const file of files) {
    const target = path.join(dir, file.path);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, file.content);
  }
  return files.map(f => path.posix.join(targetPath, f.path));
}
