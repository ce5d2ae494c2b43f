export { RecordTypeError } from './common.js';
export type { Coded, CodeTable } from './common.js';
export { AuthorityRecord, authority, isAuthority, readAuthorityRecordsSync, parseAuthority008, AUTHORITY_008, HEADING_TYPES, HEADING_TAGS } from './authority.js';
export type { Authority008, AuthorityNote, AuthorityNoteKind, Heading, HeadingType, LinkingEntry, SourceDataFound, Tracing } from './authority.js';
export { HoldingsRecord, holdings, isHoldings, readHoldingsRecordsSync, parseHoldings008, HOLDINGS_008, HOLDINGS_RECORD_TYPES } from './holdings.js';
export type { Caption, Enumeration, Holdings008, HoldingsProblem, HoldingsUnit, ItemInformation, Level, Location, TextualHoldings } from './holdings.js';
