import {
  Check,
  CheckId,
  checkTitle,
} from '@aws-workload/plugin-aws-workload-common';
import path from 'node:path';
import { Inspection, InspectedWorkload } from '../inspect';

const INFORMATION_URI =
  'https://github.com/aws-workload/backstage-plugins/tree/main/packages/aws-workload-cli';

const LEVELS: Record<Check['status'], 'error' | 'warning' | 'note' | 'none'> = {
  fail: 'error',
  warn: 'warning',
  unknown: 'note',
  pass: 'none',
};

/** A path GitHub matches against the repository: relative, with forward slashes. */
function artifactUri(file: string, cwd: string): string {
  if (file === '-') return 'stdin';
  const relative = path.relative(cwd, path.resolve(cwd, file));
  return relative.split(path.sep).join('/');
}

/**
 * A location GitHub can show: the object's line in YAML and JSON; line 1
 * (the file as a whole) for Terraform, CloudFormation and rendered output,
 * whose objects carry no line.
 */
function locationOf(w: InspectedWorkload, cwd: string) {
  return {
    physicalLocation: {
      artifactLocation: {
        uri: artifactUri(w.file, cwd),
        uriBaseId: '%SRCROOT%',
      },
      region: { startLine: w.line ?? 1 },
    },
    message: { text: `${w.kind} ${w.namespace}/${w.name}` },
  };
}

/**
 * SARIF 2.1.0 for GitHub code scanning: one rule per check id, one result
 * per finding that is not a pass. Messages are the findings' own, which
 * mask access key ids and never hold a secret value.
 */
export function toSarif(
  inspection: Inspection,
  options: { cwd: string; version: string },
): object {
  const findings = inspection.workloads.flatMap(w =>
    w.findings.filter(f => f.status !== 'pass').map(f => ({ w, f })),
  );
  const ruleIds = [...new Set(findings.map(({ f }) => f.check))].sort();
  const rules = ruleIds.map((id: CheckId) => ({
    id,
    name: id,
    shortDescription: { text: checkTitle(id) },
    helpUri: `${INFORMATION_URI}#checks`,
    properties: { tags: ['security', 'aws', 'kubernetes'] },
  }));
  const results = findings.map(({ w, f }) => ({
    ruleId: f.check,
    ruleIndex: ruleIds.indexOf(f.check),
    level: LEVELS[f.status],
    message: {
      text: `${w.kind} ${w.namespace}/${w.name} (${w.mode}): ${f.message}${
        f.fix ? ` Fix: ${f.fix}` : ''
      }`,
    },
    locations: [locationOf(w, options.cwd)],
    partialFingerprints: {
      'workloadCheck/v1': `${w.kind}/${w.namespace}/${w.name}/${f.check}`,
    },
  }));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'aws-workload inspect',
            informationUri: INFORMATION_URI,
            version: options.version,
            rules,
          },
        },
        results,
      },
    ],
  };
}
