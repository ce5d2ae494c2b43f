/**
 * Record edits the CLI applies while converting: leader positions and Unicode normalisation.
 * Shared by the main thread and the convert workers, so `--jobs` never changes the output.
 */
import type { Record } from '../record/record.js';

export interface EditOptions {
  /** [position, value] pairs from `--leader 9=a`. */
  leader?: [number, string][];
  normalize?: 'nfc' | 'nfd' | 'none';
}

export function parseLeaderEdit(spec: string, previous: [number, string][] = []): [number, string][] {
  const m = /^(\d{1,2})=(.+)$/.exec(spec);
  if (m === null) throw new Error(`--leader takes POSITION=VALUE, e.g. 9=a (got ${JSON.stringify(spec)})`);
  const position = Number(m[1]);
  const value = m[2] as string;
  if (position + value.length > 24) throw new Error(`--leader ${spec} runs past position 23`);
  return [...previous, [position, value]];
}

export function applyEdits(record: Record, options: EditOptions): Record {
  for (const [position, value] of options.leader ?? []) record.leader.set(position, value);
  const form = options.normalize === 'nfc' ? 'NFC' : options.normalize === 'nfd' ? 'NFD' : null;
  if (form === null) return record;
  for (const field of record.fields) {
    if (field.isControlField()) {
      const data = field.data;
      const normal = data.normalize(form);
      if (normal !== data) field.data = normal;
      continue;
    }
    // Look without marking the field as changed: untouched fields are then copied as bytes.
    if (field.getAll().every((v) => v.normalize(form) === v)) continue;
    for (const sf of field.subfields) {
      const normal = sf.value.normalize(form);
      if (normal !== sf.value) sf.value = normal;
    }
  }
  return record;
}
