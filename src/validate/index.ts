export { validate, checkLeaderValues, checkIndicators, checkSubfieldCode, isbnCheck, issnCheck, materialType, BIBLIOGRAPHIC_SCHEMA } from './validate.js';
export type { ValidationIssue, ValidateOptions, IssuePosition, StructuralProblem } from './validate.js';
export { VALIDATION_CODES } from './codes.js';
export type { ValidationCode, ValidationCodeInfo } from './codes.js';
export { BIBLIOGRAPHIC_FIELDS, BIBLIOGRAPHIC_FIXED_FIELDS, SCHEMA_SOURCE } from './marc21-rules.generated.js';
export { compileAvramSchema, loadAvramSchema } from './avram.js';
export type { FieldRule, FixedPosition, SubfieldValueRule, ValidationSchema } from './rule-types.js';
