import {
  AuthService,
  BackstageCredentials,
  CacheService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';

/** The generated files of one scaffolder run, as the archive action packed them. */
export interface GeneratedFiles {
  fileName: string;
  base64: string;
}

const TASK_ID = /^[A-Za-z0-9-]{1,100}$/;
const FILE_NAME = /^[a-z0-9][a-z0-9._-]{0,99}\.tar\.gz$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** What the archive action hands over at most (4 MiB packed), as base64. */
export const MAX_BASE64_LENGTH = Math.ceil((4 * 1024 * 1024) / 3) * 4;
/** How long a run's files can be downloaded after it ran. */
export const KEPT_DAYS = 7;

export function validTaskId(taskId: string): string {
  if (!TASK_ID.test(taskId)) {
    throw new InputError(
      'taskId must be 1 to 100 letters, digits or "-" (a scaffolder task id)',
    );
  }
  return taskId;
}

/** The body of the archive action's request, each field checked. */
export function generatedFilesOf(body: unknown): GeneratedFiles {
  const { fileName, base64 } = (body ?? {}) as Record<string, unknown>;
  if (typeof fileName !== 'string' || !FILE_NAME.test(fileName)) {
    throw new InputError(
      'fileName must be a lowercase name ending in .tar.gz, such as vote.tar.gz',
    );
  }
  if (
    typeof base64 !== 'string' ||
    base64.length === 0 ||
    base64.length > MAX_BASE64_LENGTH ||
    !BASE64.test(base64)
  ) {
    throw new InputError(
      `base64 must be the archive in base64, at most ${MAX_BASE64_LENGTH} characters`,
    );
  }
  return { fileName, base64 };
}

/**
 * Keeps each scaffolder run's generated files for a week, so that a run that
 * fails after rendering (a publish that is refused) loses nothing. Who may
 * download them is the scaffolder's call: whoever may read the task.
 */
export class GeneratedFilesStore {
  private readonly cache: CacheService;
  private readonly discovery: DiscoveryService;
  private readonly auth: AuthService;

  constructor(options: {
    cache: CacheService;
    discovery: DiscoveryService;
    auth: AuthService;
  }) {
    this.cache = options.cache.withOptions({
      defaultTtl: { days: KEPT_DAYS },
    });
    this.discovery = options.discovery;
    this.auth = options.auth;
  }

  async put(taskId: string, files: GeneratedFiles): Promise<void> {
    await this.cache.set(`generated-files:${validTaskId(taskId)}`, {
      fileName: files.fileName,
      base64: files.base64,
    });
  }

  /**
   * The files of a run the caller may read in the scaffolder (asked with
   * their own credentials), else undefined: not found and not allowed look
   * the same.
   */
  async get(
    taskId: string,
    credentials: BackstageCredentials,
  ): Promise<GeneratedFiles | undefined> {
    validTaskId(taskId);
    if (!(await this.callerMayReadTask(taskId, credentials))) return undefined;
    return (await this.cache.get(`generated-files:${taskId}`)) as
      | GeneratedFiles
      | undefined;
  }

  private async callerMayReadTask(
    taskId: string,
    credentials: BackstageCredentials,
  ): Promise<boolean> {
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'scaffolder',
    });
    const baseUrl = await this.discovery.getBaseUrl('scaffolder');
    const response = await fetch(
      `${baseUrl}/v2/tasks/${encodeURIComponent(taskId)}`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    return response.ok;
  }
}
