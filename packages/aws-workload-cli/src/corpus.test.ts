import fs from 'node:fs';
import path from 'node:path';
import { main } from './main';

/**
 * The corpus of manifests in the shapes real projects use, each run as a
 * user would, against the table of what a careful reading of the AWS SDK's
 * credential chain says (corpus/EXPECTED.md). Every row must hold, and the
 * inspector must report nothing the table does not list.
 */
const CORPUS = path.resolve(__dirname, '../corpus');

interface Row {
  input: string;
  workload: string;
  mode: string;
  findings: string;
  role: string;
}

function readTable(): Row[] {
  return fs
    .readFileSync(path.join(CORPUS, 'EXPECTED.md'), 'utf8')
    .split('\n')
    .filter(line => line.startsWith('| ') && !line.startsWith('| input'))
    .map(line => {
      const [input, workload, mode, findings, role] = line
        .slice(1, -1)
        .split(' | ')
        .map(cell => cell.trim());
      return { input, workload, mode, findings, role };
    });
}

async function inspectEntry(input: string) {
  const [target, ...flags] = input.replace(/^stdin: /, '- ').split(' ');
  const stdinFile = input.startsWith('stdin: ') ? flags.shift() : undefined;
  let stdout = '';
  let stderr = '';
  const code = await main(['inspect', target, ...flags, '--json'], {
    stdout: text => (stdout += text),
    stderr: text => (stderr += text),
    cwd: CORPUS,
    // No kustomize or kubectl: the table is the same on every machine.
    env: { PATH: '' },
    readStdin: async () =>
      fs.readFileSync(path.join(CORPUS, stdinFile ?? ''), 'utf8'),
  });
  return { code, stderr, report: JSON.parse(stdout) };
}

const rows = readTable();
const inputs = [...new Set(rows.map(r => r.input))];
const workloadRows = (input: string) =>
  rows.filter(r => r.input === input && !r.workload.startsWith('skipped '));

describe('the inspector corpus (corpus/EXPECTED.md)', () => {
  it('holds at least 60 inputs and a row for each file', () => {
    const files = (dir: string): string[] =>
      fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap(e =>
          e.isDirectory()
            ? files(path.join(dir, e.name))
            : [path.relative(CORPUS, path.join(dir, e.name))],
        );
    const corpusFiles = files(CORPUS).filter(f => f !== 'EXPECTED.md');
    expect(corpusFiles.length).toBeGreaterThanOrEqual(60);
    const covered = (file: string) =>
      inputs.some(input => {
        const target = input.replace(/^stdin: /, '').split(' ')[0];
        return file === target || file.startsWith(`${target}/`);
      });
    expect(corpusFiles.filter(f => !covered(f))).toEqual([]);
  });

  it.each(inputs)('%s', async input => {
    const { code, stderr, report } = await inspectEntry(input);
    expect(stderr).toBe('');
    const actual = report.workloads.map((w: any) => ({
      workload: `${w.kind} ${w.namespace}/${w.name}`,
      mode: w.mode,
      findings:
        w.findings
          .map((f: any) => `${f.check}:${f.status}`)
          .sort()
          .join(', ') || '-',
      role: w.roleArn ?? w.roleReference ?? '',
    }));
    const expected = workloadRows(input).map(({ input: _, ...r }) => r);
    const byName = (a: { workload: string }, b: { workload: string }) =>
      a.workload.localeCompare(b.workload);
    expect(actual.sort(byName)).toEqual(expected.sort(byName));

    const skipped = report.skipped.map((s: any) =>
      s.kind ? `skipped ${s.kind} ${s.name ?? ''}`.trim() : `skipped ${s.file}`,
    );
    const expectedSkipped = rows
      .filter(r => r.input === input && r.workload.startsWith('skipped '))
      .map(r => r.workload);
    expect(skipped.sort()).toEqual(expectedSkipped.sort());

    expect(code).toBe(
      actual.some((w: any) => w.mode === 'static-keys') ? 1 : 0,
    );
  });
});
