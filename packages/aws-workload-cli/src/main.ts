import path from 'node:path';
import { formatLine, inspectDocuments } from './inspect';
import { readInputs, UnreadableInputError } from './readInputs';

const USAGE = `Usage: aws-workload inspect <files or directories...> [--json]

Classifies offline how the workloads in Kubernetes YAML get AWS credentials
(irsa, pod-identity, static-keys, node-role). Pod Identity associations count
from ACK PodIdentityAssociation objects and Terraform
aws_eks_pod_identity_association resources among the inputs; Secrets and
ConfigMaps among the inputs tell which keys an envFrom brings (names only).

exit codes: 0 no static keys, 1 a workload uses static keys, 2 unreadable input or bad usage`;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  if (argv.some(a => a === '--help' || a === '-h')) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const [command, ...rest] = argv;
  const json = rest.includes('--json');
  const targets = rest.filter(a => a !== '--json');
  if (
    command !== 'inspect' ||
    targets.length === 0 ||
    targets.some(t => t.startsWith('--'))
  ) {
    io.stderr(`${USAGE}\n`);
    return 2;
  }
  let workloads;
  try {
    workloads = inspectDocuments(
      await readInputs(targets.map(t => path.resolve(io.cwd, t))),
    );
  } catch (e) {
    if (e instanceof UnreadableInputError) {
      const shown = path.relative(io.cwd, e.file);
      io.stderr(
        `aws-workload: cannot read ${
          shown.startsWith('..') ? e.file : shown
        }: ${e.message.slice(e.file.length + 2)}\n`,
      );
      return 2;
    }
    throw e;
  }
  if (json) {
    io.stdout(`${JSON.stringify({ workloads }, null, 2)}\n`);
  } else if (workloads.length === 0) {
    io.stdout('no workloads found\n');
  } else {
    io.stdout(`${workloads.map(formatLine).join('\n')}\n`);
  }
  return workloads.some(w => w.mode === 'static-keys') ? 1 : 0;
}
