export { parseSpec, QuerySyntaxError } from './parse.js';
export { compileQuery, query } from './compile.js';
export type { CompiledQuery, QueryHit, QueryOptions } from './compile.js';
export type { Spec, SpecKind, FieldSelector, SubfieldPart, SubSpec, SubTerm, SubTermSet, Operator, PosRange, Position, Binding } from './ast.js';
