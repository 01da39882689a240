import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
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

/** Where the aws-workload backend keeps a run's files, and how to reach it. */
export interface GeneratedFilesHandOver {
  discovery: DiscoveryService;
  auth: AuthService;
  /** The portal's address (app.baseUrl), for the download page's link. */
  appBaseUrl: string;
}

/**
 * Gives the files to the aws-workload backend, which keeps them a week for
 * whoever may read the run: a later step that fails (a refused publish)
 * then loses nothing. Says where to download them, in the run's log.
 */
async function handOver(
  options: GeneratedFilesHandOver,
  taskId: string,
  files: { fileName: string; base64: string },
  logger: LoggerService,
): Promise<string | undefined> {
  const { token } = await options.auth.getPluginRequestToken({
    onBehalfOf: await options.auth.getOwnServiceCredentials(),
    targetPluginId: 'aws-workload',
  });
  const baseUrl = await options.discovery.getBaseUrl('aws-workload');
  const response = await fetch(
    `${baseUrl}/scaffolder/generated-files/${encodeURIComponent(taskId)}`,
    {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(files),
    },
  ).catch((e: Error) => e);
  if (response instanceof Error || !response.ok) {
    logger.warn(
      `The generated files could not be kept for download (the aws-workload backend answered ${
        response instanceof Error ? response.message : response.status
      }); the run's output offers them when it completes.`,
    );
    return undefined;
  }
  const downloadUrl = `${options.appBaseUrl.replace(
    /\/$/,
    '',
  )}/aws-workload-files/${encodeURIComponent(taskId)}`;
  logger.info(
    `If a later step fails, the generated files can still be downloaded for 7 days at ${downloadUrl} (the template editor's dry run, /create/edit, shows them without running anything).`,
  );
  return downloadUrl;
}

/**
 * Packs the workspace as it is (a `.tar.gz`, base64 in the output), so that
 * a run that cannot publish still hands over what it generated: the
 * template's output offers it as a download. With `handOver`, the
 * aws-workload backend keeps it too, for a run that fails after this step.
 */
export function createWorkspaceArchiveAction(
  options: { handOver?: GeneratedFilesHandOver } = {},
) {
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
        downloadUrl: z =>
          z
            .string()
            .optional()
            .describe(
              'The portal page that downloads the files for 7 days, where the aws-workload backend keeps them',
            ),
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
      const fileName = `${ctx.input.name}.tar.gz`;
      const base64 = archive.toString('base64');
      if (options.handOver && !ctx.isDryRun) {
        const downloadUrl = await handOver(
          options.handOver,
          ctx.task.id,
          { fileName, base64 },
          ctx.logger,
        );
        if (downloadUrl) ctx.output('downloadUrl', downloadUrl);
      }
      ctx.output('fileName', fileName);
      ctx.output('base64', base64);
      ctx.output('files', files);
      ctx.output('bytes', archive.length);
    },
  });
}
