/**
 * yarn template:render <template dir> --values <values.yaml> --output <dir>
 *
 * Renders a software template on the command line with the real actions,
 * through the scaffolder's own dry run (templateDryRun.ts). Every generated
 * JSON, YAML, HCL and TypeScript file must parse. On any failure it prints
 * the reason, exits 1 and writes nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { TemplateDryRunner } from './templateDryRun';

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

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(path.join(args.template, 'template.yaml')))
    usage(`no template.yaml in ${args.template}`);
  const values = parse(fs.readFileSync(args.values, 'utf8'));
  const runner = await TemplateDryRunner.start();
  let exitCode = 0;
  try {
    const outcome = await runner.render(args.template, values);
    if (!outcome.ok) {
      process.stderr.write(`template:render: ${outcome.reason}\n`);
      exitCode = 1;
    } else {
      for (const file of outcome.files) {
        const target = path.join(args.output, file.path);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, Buffer.from(file.base64Content, 'base64'), {
          mode: file.executable ? 0o755 : 0o644,
        });
      }
      process.stdout.write(
        `wrote ${outcome.files.length} files to ${args.output}\n`,
      );
    }
  } finally {
    await runner.stop();
  }
  process.exit(exitCode);
}

main().catch(error => {
  process.stderr.write(`template:render: ${error.stack ?? error}\n`);
  process.exit(1);
});
