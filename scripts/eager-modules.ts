// The bundle's modules compiled once, not twice. webpack puts each module of a chunk in a function
// (its factory) in the chunk's module table, and a chunk loads to run its modules. V8 compiles a
// function lazily: it pre-parses the whole file when the file is compiled, and parses a function
// again, in full, when it is first called. A function in parentheses is compiled with the file
// (V8's guess that it is called at once), so each factory is parsed once. The functions inside the
// modules stay lazy: many are never called, and compiling all of them (V8's allFunctionsCalledOnLoad
// hint) measured no faster. See CONTRIBUTING, Performance.
import { type ObjectExpression, type Property, parse } from 'acorn';

/** The table's factories: a property for each module, its key the module's id. */
type Factory = Property & { value: { start: number; end: number } };

function isModuleTable(node: unknown): node is ObjectExpression & { properties: Factory[] } {
  const object = node as ObjectExpression | null;
  return (
    object?.type === 'ObjectExpression' &&
    object.properties.length > 0 &&
    object.properties.every(
      (property) =>
        property.type === 'Property' &&
        property.key.type === 'Literal' &&
        typeof property.key.value === 'number' &&
        (property.value.type === 'ArrowFunctionExpression' || property.value.type === 'FunctionExpression'),
    )
  );
}

/**
 * The module factories of a minified chunk (or of index.js), from the module table its top level
 * declares: `export const modules = {…}` in a chunk, a `var` in index.js. A file of the bundle
 * without exactly one such table is not in the form this step knows, and the bundle fails.
 */
export function moduleFactories(code: string, file: string): Factory[] {
  const program = parse(code, { ecmaVersion: 'latest', sourceType: 'module' });
  const tables = program.body
    .flatMap((statement) =>
      statement.type === 'ExportNamedDeclaration' ? [statement.declaration] : [statement],
    )
    .flatMap((statement) => (statement?.type === 'VariableDeclaration' ? statement.declarations : []))
    .map((declarator) => declarator.init)
    .filter(isModuleTable);
  if (tables.length !== 1) {
    throw new Error(`${file}: expected one webpack module table at its top level, found ${tables.length}`);
  }
  return tables[0]?.properties ?? [];
}

/** `code` with each module factory in parentheses, so that V8 compiles it with the file. */
export function eagerModules(code: string, file: string): string {
  let eager = '';
  let at = 0;
  for (const { value } of moduleFactories(code, file)) {
    eager += `${code.slice(at, value.start)}(${code.slice(value.start, value.end)})`;
    at = value.end;
  }
  return eager + code.slice(at);
}
