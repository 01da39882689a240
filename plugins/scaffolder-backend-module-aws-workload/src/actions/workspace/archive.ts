import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import { create } from 'tar';
import { examples } from './archive.examples';

/** Never packed: version control, installed packages, build output. */
const SKIPPED = new Set(['.git', 'node_modules', 'cdk.out']);
/** Task outputs live in the scaffolder's database: keep them small. */
const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;

/** The workspace's files, relative and sorted, without what is skipped. */
async function listFiles(root: string, dir = root): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  const files = await Promise.all(
    entries
      .filter(entry => !SKIPPED.has(entry.name))
      .map(async entry => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) return listFiles(root, full);
        return entry.isFile() ? [path.relative(root, full)] : [];
      }),
  );
  return files.flat().sort();
}

/** The files as a gzipped tarball, in memory. */
async function pack(root: string, files: string[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const stream = create({ gzip: true, cwd: root, portable: true }, files);
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/**
 * Packs the workspace as it is (a `.tar.gz`, base64 in the output), so that
 * a run that cannot publish still hands over what it generated: the
 * template's output offers it as a download.
 */
export function createWorkspaceArchiveAction() {
  return createTemplateAction({
    id: 'aws-workload:workspace:archive',
    description:
      'Packs the files generated so far into a gzipped tarball (base64 in the output), so that they can be downloaded from the run even when nothing is published. Skips .git, node_modules and cdk.out.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z =>
          z
            .string()
            .regex(/^[a-z0-9][a-z0-9._-]{0,99}$/)
            .describe(
              'The archive file name without extension, such as the service name',
            ),
        maxBytes: z =>
          z
            .number()
            .int()
            .positive()
            .default(DEFAULT_MAX_BYTES)
            .describe(
              'The largest archive to hand over (default 4 MiB): it is stored with the task',
            ),
      },
      output: {
        fileName: z => z.string().describe('<name>.tar.gz'),
        base64: z => z.string().describe('The gzipped tarball, base64-encoded'),
        files: z =>
          z.array(z.string()).describe('The files packed, relative and sorted'),
        bytes: z => z.number().describe('The archive size in bytes'),
      },
    },
    async handler(ctx) {
      const files = await listFiles(ctx.workspacePath);
      if (files.length === 0) {
        throw new InputError(
          'The workspace is empty: run this action after the steps that write files',
        );
      }
      const archive = await pack(ctx.workspacePath, files);
      const maxBytes = ctx.input.maxBytes ?? DEFAULT_MAX_BYTES;
      if (archive.length > maxBytes) {
        throw new InputError(
          `The archive is ${archive.length} bytes, more than maxBytes (${maxBytes}): task outputs are stored in the scaffolder's database`,
        );
      }
      ctx.output('fileName', `${ctx.input.name}.tar.gz`);
      ctx.output('base64', archive.toString('base64'));
      ctx.output('files', files);
      ctx.output('bytes', archive.length);
    },
  });
}
