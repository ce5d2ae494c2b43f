/**
 * mrrc: MARC 21 records for Node.js and any runtime with Uint8Array.
 */
export { MarcError, ERROR_CODES, hexWindow } from './errors.js';
export type { ErrorCode, Mode, MarcErrorContext, MarcErrorData, Severity, SkippedRecord } from './errors.js';
export { Leader, LeaderPosition } from './record/leader.js';
export { describeLeaderValue, isValidLeaderValue, allowedLeaderValues, leaderPositionName, leaderPositionDefinition, formatOfRecordType, CODED_LEADER_POSITIONS } from './record/leader-values.js';
export type { MarcFormat, LeaderPositionDefinition } from './record/leader-values.js';
export { ControlField, DataField, createField, isControlTag } from './record/field.js';
export type { Field, Subfield } from './record/field.js';
export { Record } from './record/record.js';
export type { FieldSpec, PlainRecord, PlainControlField, PlainDataField, RecordOrigin } from './record/record.js';
export { parseRecord } from './iso2709/parser.js';
export type { ParseOptions } from './iso2709/parser.js';
export { readResultsSync, RecordAssembler } from './iso2709/reader.js';
export type { ReadOptions, ReadResult } from './iso2709/reader.js';
export { Iso2709Framer } from './iso2709/framer.js';
export type { Frame, FramerOptions } from './iso2709/framer.js';
export { Iso2709Writer, toMarc } from './iso2709/writer.js';
export type { WriteOptions } from './iso2709/writer.js';
export { getDecoder, getEncoder, registerDecoder, registerEncoder } from './encoding/charset.js';
export type { FieldDecoder, FieldEncoder, DecodeProblem } from './encoding/charset.js';
export { readRecordsSync } from './io/sync.js';
export { decodeMarc8, encodeMarc8, Marc8Decoder, Marc8Encoder, looksLikeMarc8, looksLikeUtf8 } from './encoding/marc8/index.js';
export type { Marc8DecoderOptions, Marc8EncoderOptions } from './encoding/marc8/index.js';
export { readRecords, readResults, RecordReader } from './io/read.js';
export type { ReadRecordsOptions } from './io/read.js';
export type { ByteSource } from './io/source.js';
export { writeRecords } from './io/write.js';
export type { WriteRecordsOptions, Destination } from './io/write.js';
export { registerFormat, createFormatWriter, formatNames } from './io/formats.js';
export type { FormatWriter, FormatFactory } from './io/formats.js';
export { createParserStream, createSerializerStream, createParserTransformStream, createSerializerTransformStream } from './io/transform.js';
export type { ParserStreamOptions, SerializerStreamOptions } from './io/transform.js';
export { parallelMap, MapResults, ParallelMapError } from './parallel/map.js';
export type { ParallelMapOptions } from './parallel/map.js';
