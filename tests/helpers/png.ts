/** Valid PNG files built in memory, for upload tests: black grayscale images compress to almost nothing. */
import { deflateSync } from 'node:zlib';

const crc32 = (bytes: Buffer) => {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit += 1) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
};

const chunk = (type: string, data: Buffer) => {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
};

/**
 * A black grayscale PNG of width × height pixels, `bitDepth` 1 or 8. At 1 bit, 16000×16000 (256 Mpx to decode) weighs
 * about 31 KB; at 8 bits, a 5000×5000 image takes Strapi's image processing a second or so.
 */
export const blackPng = (width: number, height: number, bitDepth: 1 | 8 = 1): Buffer => {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([bitDepth, 0, 0, 0, 0], 8);
  const rowBytes = 1 + Math.ceil((width * bitDepth) / 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.alloc(height * rowBytes), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
};
