// The README's list of inputs (a `with:` block) and table of outputs, made from action.yml, and its
// example workflows, copied from examples/, so that none can drift. `npm run docs` rewrites them;
// test/project/action-yml.test.ts fails when they are out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { type ActionYml, readActionYml } from './action-yml.ts';

const README = new URL('../README.md', import.meta.url);

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

function outputsTable(action: ActionYml): string {
  const rows = Object.entries(action.outputs).map(
    ([name, output]) => `| \`${name}\` | ${cell(output.description)} |`,
  );
  return ['| output | description |', '| --- | --- |', ...rows].join('\n');
}

/** A description as comment lines of at most 100 characters, indented to sit above its input. */
function commentLines(text: string): string[] {
  const lines: string[] = [];
  for (const word of text.replace(/\s+/g, ' ').trim().split(' ')) {
    const last = lines.at(-1);
    if (last !== undefined && `${last} ${word}`.length <= 100) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(`    # ${word}`);
  }
  return lines;
}

/** Every input in one `with:` block, with its default and its whole description, as actions/checkout shows them. */
function withBlock(action: ActionYml): string {
  const lines = Object.entries(action.inputs).flatMap(([name, input], index) => [
    ...(index > 0 ? [''] : []),
    ...commentLines(input.description),
    `    ${name}: ${input.default ? `'${input.default}'` : "''"}`,
  ]);
  return ['```yaml', '- uses: your-org/cancel-document-translation@v1', '  with:', ...lines, '```'].join(
    '\n',
  );
}

function replaceBetween(text: string, marker: string, content: string): string {
  const start = `<!-- ${marker}:start -->`;
  const end = `<!-- ${marker}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no ${start} … ${end} markers`);
  return `${text.slice(0, from + start.length)}\n${content}\n${text.slice(to)}`;
}

/** Each `<!-- example:NAME:start -->` block shows examples/NAME as it is. */
function withExamples(readme: string): string {
  const names = [...readme.matchAll(/<!-- example:([\w.-]+):start -->/g)].map((match) => match[1] ?? '');
  return names.reduce((text, name) => {
    const workflow = readFileSync(new URL(`../examples/${name}`, import.meta.url), 'utf8').trimEnd();
    return replaceBetween(text, `example:${name}`, `\`\`\`yaml\n${workflow}\n\`\`\``);
  }, readme);
}

/** The README with its inputs and outputs made anew from action.yml and its example workflows from examples/. */
export function renderReadme(readme: string, action: ActionYml = readActionYml()): string {
  const tables = replaceBetween(readme, 'outputs', outputsTable(action));
  return withExamples(replaceBetween(tables, 'with-block', withBlock(action)));
}

export function readReadme(): string {
  return readFileSync(README, 'utf8');
}

if (import.meta.main) {
  writeFileSync(README, renderReadme(readReadme()));
}
