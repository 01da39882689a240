import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';

export const KUSTOMIZATION_FILES = [
  'kustomization.yaml',
  'kustomization.yml',
  'Kustomization',
];

/** An executable of that name on PATH, as the shell would find it. */
export async function findOnPath(
  name: string,
  env: NodeJS.ProcessEnv,
): Promise<string | undefined> {
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, name);
    try {
      await fs.access(candidate, fs.constants.X_OK);
      if ((await fs.stat(candidate)).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** How a kustomization can be rendered here: `kustomize build` or `kubectl kustomize`. */
export async function kustomizeCommand(
  env: NodeJS.ProcessEnv,
): Promise<{ command: string; args: string[] } | undefined> {
  const kustomize = await findOnPath('kustomize', env);
  if (kustomize) return { command: kustomize, args: ['build'] };
  const kubectl = await findOnPath('kubectl', env);
  if (kubectl) return { command: kubectl, args: ['kustomize'] };
  return undefined;
}

/** The rendered output of a kustomization folder. */
export function renderKustomization(
  dir: string,
  how: { command: string; args: string[] },
  env: NodeJS.ProcessEnv,
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      how.command,
      [...how.args, dir],
      { env, maxBuffer: 512 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          const why = String(stderr || error.message)
            .trim()
            .split('\n')[0];
          reject(new Error(`${path.basename(how.command)} failed: ${why}`));
        } else {
          resolve(stdout);
        }
      },
    );
  });
}

/** The `namespace:` a kustomization sets on every object, if any. */
export function kustomizationNamespace(text: string): string | undefined {
  try {
    const parsed = parseYaml(text);
    return typeof parsed?.namespace === 'string' ? parsed.namespace : undefined;
  } catch {
    return undefined;
  }
}
