export const RECORD_TERMINATOR = 0x1d;
export const FIELD_TERMINATOR = 0x1e;
export const SUBFIELD_DELIMITER = 0x1f;
export const ESC = 0x1b;
export const LEADER_LENGTH = 24;
export const DIRECTORY_ENTRY_LENGTH = 12;
/** ISO 2709's five-digit length field cannot describe more. */
export const MAX_ISO2709_LENGTH = 99999;
