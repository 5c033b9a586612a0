// Text put into the job summary and the pull request comment, which GitHub renders as Markdown with
// HTML: made inert, so that it shows as the same text on one line and never acts as markup, nor
// mentions anyone (an `@name` in a comment notifies that person).

// HTML's own characters, and Markdown's (a heading, a link or an image, emphasis, code, a table
// cell), as character references; a line break would end the HTML block and let Markdown in.
const REFERENCES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '[': '&#91;',
  ']': '&#93;',
  '!': '&#33;',
  '#': '&#35;',
  '*': '&#42;',
  _: '&#95;',
  '`': '&#96;',
  '~': '&#126;',
  '|': '&#124;',
  '\\': '&#92;',
  // A zero-width space after the `@`: it still reads as @name, and GitHub no longer sees a mention.
  '@': '@&#8203;',
};

export function inertText(text: string): string {
  return text
    .replace(/[\r\n\u2028\u2029]+/g, ' ')
    .replace(/[&<>"[\]!#*_`~|\\@]/g, (char) => REFERENCES[char] ?? char);
}
