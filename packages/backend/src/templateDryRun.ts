/**
 * The scaffolder's own dry run of a template, in this process: a minimal
 * backend (the scaffolder and its modules, on loopback, permissions off)
 * starts once, takes any number of templates and values on its dry-run
 * endpoint, and stops. Every generated JSON, YAML, HCL and TypeScript file
 * must parse, or the run counts as failed. For `yarn template:render` and
 * the tests that put many values through the template.
 */
import { createBackend } from '@backstage/backend-defaults';
import { rootConfigServiceFactory } from '@backstage/backend-defaults/rootConfig';
import scaffolderAwsWorkload from '@aws-workload/plugin-scaffolder-backend-module-aws-workload';
import scaffolderBackend from '@backstage/plugin-scaffolder-backend';
import scaffolderGithub from '@backstage/plugin-scaffolder-backend-module-github';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { parseProblem } from './generatedFiles';

interface DryRunResult {
  directoryContents: GeneratedFile[];
  output: TemplateOutput;
  log: { body: { message: string; stepId?: string; status?: string } }[];
  steps: { id: string; name: string; status?: string }[];
}

function filesOf(
  dir: string,
  base = dir,
): { path: string; base64Content: string }[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesOf(full, base);
    return [
      {
        path: path.relative(base, full),
        base64Content: fs.readFileSync(full).toString('base64'),
      },
    ];
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

/** Why a dry run failed: the failing step's last error lines. */
function failureOf(result: DryRunResult): string | undefined {
  const failed = result.steps.find(s => s.status === 'failed');
  if (!failed) return undefined;
  const lines = result.log
    .map(l => l.body)
    .filter(b => b.stepId === failed.id && /error/i.test(b.message))
    .map(b => b.message);
  return `step "${failed.name}" failed: ${
    lines[lines.length - 1] ?? 'see the scaffolder log'
  }`;
}

/** Why the scaffolder refused the request: its error, or the parameters' schema errors. */
function rejectionOf(status: number, body: any): string {
  const schemaErrors = (body?.errors ?? []) as {
    property?: string;
    path?: string;
    message?: string;
    stack?: string;
  }[];
  if (schemaErrors.length > 0) {
    return `invalid values: ${schemaErrors
      .map(e => e.stack ?? `${e.property ?? e.path} ${e.message}`)
      .join('; ')}`;
  }
  return `${body?.error?.name ?? `HTTP ${status}`}: ${
    body?.error?.message ?? JSON.stringify(body).slice(0, 500)
  }`;
}

/** A generated file, as the dry run returns it. */
export interface GeneratedFile {
  path: string;
  base64Content: string;
  executable?: boolean;
}

/** The template's rendered `output` section. */
export interface TemplateOutput {
  links?: { title?: string; url?: string; entityRef?: string }[];
  text?: { title?: string; content?: string }[];
}

/** What a dry run gave: every file (all of which parse), or why it failed. */
export type DryRunOutcome =
  | { ok: true; files: GeneratedFile[]; output: TemplateOutput }
  | { ok: false; reason: string };

/** A scaffolder backend kept running for dry runs. */
export class TemplateDryRunner {
  private constructor(
    private readonly backend: ReturnType<typeof createBackend>,
    private readonly url: string,
    private readonly token: string,
    private readonly tmp: string,
  ) {}

  static async start(): Promise<TemplateDryRunner> {
    const port = await freePort();
    const token = randomBytes(24).toString('base64url');
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'template-render-'));
    const configFile = path.join(tmp, 'app-config.yaml');
    fs.writeFileSync(
      configFile,
      JSON.stringify({
        backend: {
          baseUrl: `http://127.0.0.1:${port}`,
          listen: `127.0.0.1:${port}`,
          database: { client: 'better-sqlite3', connection: ':memory:' },
          auth: {
            externalAccess: [
              {
                type: 'static',
                options: { token, subject: 'template-render' },
              },
            ],
          },
        },
        permission: { enabled: false },
        // publish:github:pull-request resolves a token even in a dry run
        // (then returns placeholders and calls nothing): an unusable one.
        integrations: {
          github: [{ host: 'github.com', token: 'dry-run-not-a-token' }],
        },
      }),
    );
    const backend = createBackend();
    backend.add(
      rootConfigServiceFactory({
        argv: ['node', 'render', '--config', configFile],
        watch: false,
      }),
    );
    backend.add(scaffolderBackend);
    backend.add(scaffolderGithub);
    backend.add(scaffolderAwsWorkload);
    try {
      await backend.start();
    } catch (e) {
      fs.rmSync(tmp, { recursive: true, force: true });
      throw e;
    }
    return new TemplateDryRunner(
      backend,
      `http://127.0.0.1:${port}`,
      token,
      tmp,
    );
  }

  /**
   * Renders the template in `templateDir` (its template.yaml and files);
   * `extraFiles` go beside them, where the template's relative URLs find
   * them (a repository for fetch:plain to read, in a test).
   */
  async render(
    templateDir: string,
    values: unknown,
    extraFiles: GeneratedFile[] = [],
  ): Promise<DryRunOutcome> {
    const templateFile = path.join(templateDir, 'template.yaml');
    const template = parse(fs.readFileSync(templateFile, 'utf8'));
    const response = await fetch(`${this.url}/api/scaffolder/v2/dry-run`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${this.token}`,
      },
      body: JSON.stringify({
        template,
        values,
        secrets: {},
        directoryContents: [...filesOf(templateDir), ...extraFiles],
      }),
    });
    const body = await response.json();
    const failure = response.ok
      ? failureOf(body)
      : rejectionOf(response.status, body);
    if (failure) return { ok: false, reason: failure };
    const files = (body as DryRunResult).directoryContents;
    const broken = [];
    for (const file of files) {
      const problem = await parseProblem(
        file.path,
        Buffer.from(file.base64Content, 'base64').toString('utf8'),
      );
      if (problem) broken.push(`${file.path}: ${problem}`);
    }
    if (broken.length > 0) {
      return {
        ok: false,
        reason: `generated files that do not parse (nothing written):\n  ${broken.join(
          '\n  ',
        )}`,
      };
    }
    return { ok: true, files, output: (body as DryRunResult).output };
  }

  async stop(): Promise<void> {
    await this.backend.stop();
    fs.rmSync(this.tmp, { recursive: true, force: true });
  }
}
