/**
 * Cloud Storage object metadata as a Storage CloudEvent carries it (pure), computed from the bytes the
 * way GCS does: `size` and `generation` as decimal strings, `md5Hash` and `crc32c` (big-endian
 * Castagnoli) in base64, and `etag` = base64 of the protobuf encoding of generation (field 1) and
 * metageneration (field 2), which is why real etags look like "CNHZkbuF/ugCEAE=".
 */
import { createHash } from 'node:crypto';
import type { StorageObjectData } from '../../../adapters/gcp/storage.js';

export interface ObjectInput {
  readonly bucket: string;
  readonly key: string;
  readonly body?: string | Uint8Array;
  readonly contentType?: string;
}

const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC32C_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function varint(value: bigint): number[] {
  const out: number[] = [];
  let rest = value;
  do {
    let byte = Number(rest & 0x7fn);
    rest >>= 7n;
    if (rest > 0n) byte |= 0x80;
    out.push(byte);
  } while (rest > 0n);
  return out;
}

export function etagOf(generation: bigint, metageneration: bigint): string {
  return Buffer.from([0x08, ...varint(generation), 0x10, ...varint(metageneration)]).toString('base64');
}

/** Metadata of an object just written: `generation` is the write time in microseconds, as GCS uses. */
export function objectMetadata(input: ObjectInput, generation: bigint, time: string): StorageObjectData {
  const bytes = typeof input.body === 'string' ? Buffer.from(input.body, 'utf8') : Buffer.from(input.body ?? new Uint8Array(0));
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32c(bytes));
  const name = input.key;
  const encoded = encodeURIComponent(name);
  return {
    kind: 'storage#object',
    id: `${input.bucket}/${name}/${generation}`,
    selfLink: `https://www.googleapis.com/storage/v1/b/${input.bucket}/o/${encoded}`,
    mediaLink: `https://storage.googleapis.com/download/storage/v1/b/${input.bucket}/o/${encoded}?generation=${generation}&alt=media`,
    name,
    bucket: input.bucket,
    generation: String(generation),
    metageneration: '1',
    contentType: input.contentType ?? 'application/octet-stream',
    storageClass: 'STANDARD',
    size: String(bytes.byteLength),
    md5Hash: createHash('md5').update(bytes).digest('base64'),
    crc32c: crc.toString('base64'),
    etag: etagOf(generation, 1n),
    timeCreated: time,
    updated: time,
    timeStorageClassUpdated: time,
  };
}
