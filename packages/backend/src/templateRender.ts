/**
 * yarn template:render <template dir> --values <values.yaml> --output <dir>
 *
 * Renders a software template on the command line with the real actions,
 * through the scaffolder's own dry run: a minimal backend (the scaffolder and
 * its modules, on loopback, permissions off) starts in this process, takes
 * the template, values and files on its dry-run endpoint, and stops. Every
 * generated JSON, YAML, HCL and TypeScript file must parse. On any failure
 * it prints the reason, exits 1 and writes nothing.
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
  directoryContents: {
    path: string;
    base64Content: string;
    executable?: boolean;
  }[];
  log: { body: { message: string; stepId?: string; status?: string } }[];
  steps: { id: string; name: string; status?: string }[];
}

function usage(message?: string): never {
  if (message) process.stderr.write(`template:render: ${message}\n`);
  process.stderr.write(
    'usage: yarn template:render <template dir> --values <values.yaml> --output <dir>\n',
  );
  process.exit(2);
}

function parseArgs(argv: string[]) {
  const cwd = process.env.INIT_CWD || process.cwd();
  const args = { template: '', values: '', output: '' };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--values') args.values = argv[++i] ?? '';
    else if (argv[i] === '--output') args.output = argv[++i] ?? '';
    else if (!args.template) args.template = argv[i];
    else usage(`unexpected argument ${argv[i]}`);
  }
  if (!args.template || !args.values || !args.output) usage();
  return {
    template: path.resolve(cwd, args.template),
    values: path.resolve(cwd, args.values),
    output: path.resolve(cwd, args.output),
  };
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

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const templateFile = path.join(args.template, 'template.yaml');
  if (!fs.existsSync(templateFile))
    usage(`no template.yaml in ${args.template}`);
  const template = parse(fs.readFileSync(templateFile, 'utf8'));
  const values = parse(fs.readFileSync(args.values, 'utf8'));

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
            { type: 'static', options: { token, subject: 'template-render' } },
          ],
        },
      },
      permission: { enabled: false },
      integrations: { github: [{ host: 'github.com' }] },
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
  let exitCode = 0;
  try {
    await backend.start();
    const response = await fetch(
      `http://127.0.0.1:${port}/api/scaffolder/v2/dry-run`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
        },
        body: JSON.stringify({
          template,
          values,
          secrets: {},
          directoryContents: filesOf(args.template),
        }),
      },
    );
    const body = await response.json();
    const failure = response.ok
      ? failureOf(body)
      : rejectionOf(response.status, body);
    if (failure) {
      process.stderr.write(`template:render: ${failure}\n`);
      exitCode = 1;
    } else {
      const result = body as DryRunResult;
      const broken = [];
      for (const file of result.directoryContents) {
        const problem = await parseProblem(
          file.path,
          Buffer.from(file.base64Content, 'base64').toString('utf8'),
        );
        if (problem) broken.push(`${file.path}: ${problem}`);
      }
      if (broken.length > 0) {
        process.stderr.write(
          `template:render: generated files that do not parse (nothing written):\n  ${broken.join(
            '\n  ',
          )}\n`,
        );
        exitCode = 1;
      }
      for (const file of broken.length ? [] : result.directoryContents) {
        const target = path.join(args.output, file.path);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, Buffer.from(file.base64Content, 'base64'), {
          mode: file.executable ? 0o755 : 0o644,
        });
      }
      if (!broken.length) {
        process.stdout.write(
          `wrote ${result.directoryContents.length} files to ${args.output}\n`,
        );
      }
    }
  } finally {
    await backend.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  process.exit(exitCode);
}

main().catch(error => {
  process.stderr.write(`template:render: ${error.stack ?? error}\n`);
  process.exit(1);
});
