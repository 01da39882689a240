import { Inspection, InspectedWorkload } from '../inspect';

const where = (w: { file: string; line?: number }) =>
  w.line ? `${w.file}:${w.line}` : w.file;

export function formatWorkload(w: InspectedWorkload): string {
  const roleShown = w.roleArn ?? w.roleReference;
  const role = roleShown ? `, role ${roleShown}` : '';
  const head = `${w.kind} ${w.namespace}/${w.name}: ${w.mode} (ServiceAccount ${
    w.serviceAccount
  }${role}${w.fargate ? ', Fargate' : ''}) [${where(w)}]`;
  const findings = w.findings
    .filter(f => f.status !== 'pass')
    .map(
      f =>
        `\n  ${f.status.toUpperCase()} ${f.check}: ${f.message}${
          f.fix ? `\n    fix: ${f.fix}` : ''
        }`,
    );
  return head + findings.join('');
}

/** The report a person reads: workloads, then what was skipped and noted. */
export function formatText(inspection: Inspection): string {
  const lines: string[] = [];
  if (inspection.workloads.length === 0) lines.push('no workloads found');
  lines.push(...inspection.workloads.map(formatWorkload));
  if (inspection.skipped.length > 0) {
    lines.push(`\nskipped ${inspection.skipped.length}:`);
    lines.push(
      ...inspection.skipped.map(
        s =>
          `  ${s.kind ? `${s.kind} ${s.name ?? ''} ` : ''}[${where(s)}]: ${
            s.reason
          }`,
      ),
    );
  }
  for (const note of inspection.notes) lines.push(`note: ${note}`);
  const needAws = new Set(inspection.workloads.flatMap(w => w.skippedChecks));
  if (needAws.size > 0) {
    lines.push(
      `note: checks that need AWS access were not run: ${[...needAws].join(
        ', ',
      )}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
