import path from 'node:path';
import { parseArgs } from 'node:util';
import { inspect, Inspection } from './inspect';
import { readInputs } from './inputs/readInputs';
import { toSarif } from './output/sarif';
import { formatText } from './output/text';
import { translateDocuments } from './sources';

const USAGE = `Usage: aws-workload inspect <files, directories or -...> [options]

Classifies offline how the workloads in the inputs get AWS credentials
(irsa, pod-identity, static-keys, node-role), with the checks that need no
AWS call. It reads any Kubernetes object with a pod spec (Deployments,
Rollouts, Knative Services, operator resources, kubectl Lists) in YAML or
JSON; standard input for "-" (kustomize build, helm template, kubectl get);
kustomization folders, rendered with kustomize or kubectl when on PATH;
eksctl ClusterConfig; Terraform (Kubernetes provider resources, Pod Identity
associations, Fargate profiles, IAM roles); and CDK output
(cdk.out/*.template.json). A reference to an object that is not among the
inputs is reported as unknown, not as absent.

Options:
  --format <format>     text (default), json, or sarif (GitHub code scanning)
  --json                the same as --format json
  --namespace <ns>      the namespace of objects that name none (default: default)
  --fargate             every pod runs on Fargate (no node role to fall back to)
  -h, --help            display help

Exit codes are 0 with no static keys, 1 when a workload uses static keys,
2 for unreadable input (after reporting the rest) or bad usage.`;

/** The world the command runs in; tests give their own. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  /** The environment (PATH finds kustomize or kubectl). Default: process.env. */
  env?: NodeJS.ProcessEnv;
  /** Standard input, read when a target is `-`. */
  readStdin?: () => Promise<string>;
  /** The package's version, for the SARIF tool record. */
  version?: string;
}

type Format = 'text' | 'json' | 'sarif';

interface Invocation {
  targets: string[];
  format: Format;
  namespace?: string;
  fargate: boolean;
}

function parseInvocation(argv: string[]): Invocation | undefined {
  const [command, ...rest] = argv;
  if (command !== 'inspect') return undefined;
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        format: { type: 'string' },
        namespace: { type: 'string' },
        fargate: { type: 'boolean' },
      },
    });
  } catch {
    return undefined;
  }
  const format = (
    parsed.values.json ? 'json' : parsed.values.format ?? 'text'
  ) as Format;
  if (!['text', 'json', 'sarif'].includes(format)) return undefined;
  if (parsed.positionals.length === 0) return undefined;
  return {
    targets: parsed.positionals,
    format,
    namespace: parsed.values.namespace,
    fargate: Boolean(parsed.values.fargate),
  };
}

function readProcessStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', chunk => (text += chunk));
    process.stdin.on('end', () => resolve(text));
    process.stdin.on('error', reject);
  });
}

function render(inspection: Inspection, format: Format, io: CliIo): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(inspection, null, 2)}\n`;
    case 'sarif':
      return `${JSON.stringify(
        toSarif(inspection, { cwd: io.cwd, version: io.version ?? '0.0.0' }),
        null,
        2,
      )}\n`;
    default:
      return formatText(inspection);
  }
}

const shownPath = (file: string, cwd: string) => {
  if (file === '-') return 'standard input';
  const relative = path.relative(cwd, file);
  return relative.startsWith('..') ? file : relative;
};

export async function main(argv: string[], io: CliIo): Promise<number> {
  if (argv.some(a => a === '--help' || a === '-h')) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const invocation = parseInvocation(argv);
  if (!invocation) {
    io.stderr(`${USAGE}\n`);
    return 2;
  }
  const read = await readInputs(
    invocation.targets.map(t => (t === '-' ? t : path.resolve(io.cwd, t))),
    {
      env: io.env ?? process.env,
      readStdin: io.readStdin ?? readProcessStdin,
      display: file => shownPath(file, io.cwd) || '.',
    },
  );
  const relative = (file: string) =>
    file === '-' ? file : shownPath(file, io.cwd);
  const translated = translateDocuments(
    read.documents.map(d => ({ ...d, file: relative(d.file) })),
  );
  translated.skipped.push(
    ...read.skipped.map(s => ({ ...s, file: relative(s.file) })),
  );
  translated.notes.push(...read.notes);
  const inspection = inspect(translated, {
    namespace: invocation.namespace,
    allOnFargate: invocation.fargate,
  });
  const nothingRead = read.documents.length === 0 && read.skipped.length === 0;
  if (!(nothingRead && read.unreadable.length > 0)) {
    io.stdout(render(inspection, invocation.format, io));
  }
  for (const e of read.unreadable) {
    io.stderr(
      `aws-workload: cannot read ${shownPath(e.file, io.cwd)}: ${e.reason}\n`,
    );
  }
  if (read.unreadable.length > 0) return 2;
  return inspection.workloads.some(w => w.mode === 'static-keys') ? 1 : 0;
}
