export { parseLinkage, linkageOf, linkageReport, linkedPairs, linkedFields, SCRIPT_CODES } from './linkage.js';
export type { Linkage, LinkedPair, LinkProblem, LinkProblemKind, LinkageReport } from './linkage.js';
