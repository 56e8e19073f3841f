import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import { http } from 'faasport';

const SIZE = 5;
const SCALE = 16;

/** A symmetric 5x5 identicon for any name, as a PNG: a binary download that must survive every gateway. */
export const avatar = http({ route: '/avatars/:name', methods: ['GET'] }, (_req, ctx) => {
  const png = identicon(ctx.params.name ?? '');
  return new Response(png, {
    headers: { 'content-type': 'image/png', 'cache-control': 'public, max-age=86400', 'content-length': String(png.byteLength) },
  });
});

export function identicon(name: string): Uint8Array<ArrayBuffer> {
  const hash = createHash('sha256').update(name).digest();
  const [r, g, b] = [hash[0]!, hash[1]!, hash[2]!];
  const side = SIZE * SCALE;
  const raw = Buffer.alloc((side * 3 + 1) * side);
  for (let y = 0; y < side; y++) {
    raw[y * (side * 3 + 1)] = 0; // filter: none
    for (let x = 0; x < side; x++) {
      const cx = Math.floor(x / SCALE);
      const col = cx < 3 ? cx : SIZE - 1 - cx; // mirror left/right
      const on = (hash[3 + Math.floor(y / SCALE) * 3 + col]! & 1) === 1;
      const at = y * (side * 3 + 1) + 1 + x * 3;
      raw[at] = on ? r : 240;
      raw[at + 1] = on ? g : 240;
      raw[at + 2] = on ? b : 240;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return new Uint8Array(Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]));
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}
