/** Byte builders, real images and fuzzing support for the image header reader's unit tests. */
import { performance } from 'node:perf_hooks';
import {
  declaredPixels,
  readImageDimensions,
  type ImageDimensions,
} from '../../server/src/content/guards/image-dimensions';
// ---------------------------------------------------------------------------------------------------------------
// Byte builders
// ---------------------------------------------------------------------------------------------------------------

export type Part = number | number[] | string | Buffer;

export const toBuffer = (part: Part): Buffer => {
  if (typeof part === 'number') return Buffer.from([part]);
  if (typeof part === 'string') return Buffer.from(part, 'latin1');
  return Buffer.isBuffer(part) ? part : Buffer.from(part);
};
export const bytes = (...parts: Part[]): Buffer => Buffer.concat(parts.map(toBuffer));
export const repeat = (part: Buffer, times: number): Buffer => Buffer.concat(Array.from({ length: times }, () => part));

export const integer = (size: number, write: (buffer: Buffer, value: number) => void) => (value: number) => {
  const buffer = Buffer.alloc(size);
  write(buffer, value);
  return buffer;
};
export const u16le = integer(2, (buffer, value) => buffer.writeUInt16LE(value));
export const u16be = integer(2, (buffer, value) => buffer.writeUInt16BE(value));
export const u24le = integer(3, (buffer, value) => buffer.writeUIntLE(value, 0, 3));
export const u32le = integer(4, (buffer, value) => buffer.writeUInt32LE(value));
export const u32be = integer(4, (buffer, value) => buffer.writeUInt32BE(value));
export const u64be = (value: bigint) => {
  const buffer = Buffer.alloc(8);
  buffer.writeBigUInt64BE(value);
  return buffer;
};

export const read = (mime: string, ...parts: Part[]) => readImageDimensions(bytes(...parts), mime);
export const still = (width: number, height: number): ImageDimensions => ({ width, height, frames: 1 });

// PNG ------------------------------------------------------------------------------------------------------------

export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** A PNG chunk; the CRC is left zero, the reader does not check it. */
export const pngChunk = (type: string, ...data: Part[]) => {
  const payload = bytes(...data);
  return bytes(u32be(payload.length), type, payload, u32be(0));
};
export const ihdr = (width: number, height: number) => pngChunk('IHDR', u32be(width), u32be(height), [8, 6, 0, 0, 0]);
export const png = (width: number, height: number, ...chunks: Buffer[]) =>
  bytes(PNG_SIGNATURE, ihdr(width, height), ...chunks, pngChunk('IEND'));

// GIF ------------------------------------------------------------------------------------------------------------

export interface GifFrameSpec {
  left?: number;
  top?: number;
  width: number;
  height: number;
  /** Size exponent of a local color table (entries = 2^(bits + 1)); none when absent. */
  localTable?: number;
}
/** A color table filled with 0x2C / 0x21 bytes: a reader that fails to skip it would see blocks in it. */
export const gifColorTable = (bits: number | undefined) =>
  bits === undefined ? Buffer.alloc(0) : Buffer.alloc(3 * 2 ** (bits + 1), bits % 2 ? 0x2c : 0x21);
export const gifPacked = (bits: number | undefined) => (bits === undefined ? 0 : 0x80 | bits);
export const gifScreen = (
  width: number,
  height: number,
  { version = '89a', globalTable = undefined as number | undefined } = {},
) => bytes(`GIF${version}`, u16le(width), u16le(height), gifPacked(globalTable), 0, 0, gifColorTable(globalTable));
export const gifFrame = ({ left = 0, top = 0, width, height, localTable }: GifFrameSpec) =>
  bytes(0x2c, u16le(left), u16le(top), u16le(width), u16le(height), gifPacked(localTable), gifColorTable(localTable), [
    2, // LZW minimum code size
    2,
    0x4c,
    0x01, // one 2-byte data sub-block
    0, // block terminator
  ]);
export const gifExtension = (label: number, ...subBlocks: Part[]) =>
  bytes(0x21, label, ...subBlocks.map((block) => bytes(toBuffer(block).length, block)), 0);
export const GRAPHIC_CONTROL = gifExtension(0xf9, [0, 10, 0, 0]);
export const NETSCAPE_LOOP = gifExtension(0xff, 'NETSCAPE2.0', [1, 0, 0]);
export const GIF_TRAILER = 0x3b;
export const gif = (width: number, height: number, frames: GifFrameSpec[]) =>
  bytes(
    gifScreen(width, height),
    NETSCAPE_LOOP,
    ...frames.flatMap((frame) => [GRAPHIC_CONTROL, gifFrame(frame)]),
    GIF_TRAILER,
  );

// JPEG -----------------------------------------------------------------------------------------------------------

export const SOI = [0xff, 0xd8];
export const EOI = [0xff, 0xd9];
export const segment = (marker: number, ...payload: Part[]) => {
  const body = bytes(...payload);
  return bytes(0xff, marker, u16be(body.length + 2), body);
};
export const sof = (width: number, height: number, marker = 0xc0) =>
  segment(marker, 8, u16be(height), u16be(width), 3, [1, 0x22, 0], [2, 0x11, 1], [3, 0x11, 1]);
export const APP0_JFIF = segment(0xe0, 'JFIF\0', [1, 1, 0], u16be(72), u16be(72), [0, 0]);
export const DQT = segment(0xdb, 0, Buffer.alloc(64, 1));
export const DHT = segment(0xc4, 0, Buffer.alloc(16, 0), 0);
export const SOS = segment(0xda, [1, 1, 0, 0, 63, 0]);
export const jpeg = (...segments: Part[]) => bytes(SOI, ...segments, SOS, [0x12, 0x34], EOI);

// WebP -----------------------------------------------------------------------------------------------------------

export const riffChunk = (fourcc: string, ...payload: Part[]) => {
  const body = bytes(...payload);
  return bytes(fourcc, u32le(body.length), body, body.length % 2 ? [0] : []);
};
export const webp = (...chunks: Buffer[]) => {
  const body = bytes('WEBP', ...chunks);
  return bytes('RIFF', u32le(body.length), body);
};
export const VP8_FRAME_TAG = [0x50, 0x02, 0x00];
export const VP8_START_CODE = [0x9d, 0x01, 0x2a];
export const vp8 = (widthField: number, heightField: number) =>
  riffChunk('VP8 ', VP8_FRAME_TAG, VP8_START_CODE, u16le(widthField), u16le(heightField), Buffer.alloc(8));
export const vp8l = (width: number, height: number) =>
  riffChunk('VP8L', 0x2f, u32le(((width - 1) | ((height - 1) << 14)) >>> 0), Buffer.alloc(4));
export const ANIMATION_FLAG = 0x02;
export const vp8x = (width: number, height: number, flags = 0) =>
  riffChunk('VP8X', flags, [0, 0, 0], u24le(width - 1), u24le(height - 1));
export const ANIM = riffChunk('ANIM', u32le(0), u16le(0));
export const anmf = (width: number, height: number) =>
  riffChunk('ANMF', u24le(0), u24le(0), u24le(width - 1), u24le(height - 1), u24le(100), 0, vp8(width, height));

// AVIF (ISO BMFF) ------------------------------------------------------------------------------------------------

export const box = (type: string, ...payload: Part[]) => {
  const body = bytes(...payload);
  return bytes(u32be(body.length + 8), type, body);
};
export const fullBox = (type: string, ...payload: Part[]) => box(type, [0, 0, 0, 0], ...payload);
export const largeBox = (type: string, ...payload: Part[]) => {
  const body = bytes(...payload);
  return bytes(u32be(1), type, u64be(BigInt(body.length + 16)), body);
};
export const ftyp = (major: string, ...compatible: string[]) => box('ftyp', major, u32be(0), ...compatible);
export const AVIF_FTYP = ftyp('avif', 'mif1', 'avif', 'miaf');
export const ispe = (width: number, height: number) => fullBox('ispe', u32be(width), u32be(height));
export const HDLR = fullBox('hdlr', u32be(0), 'pict', Buffer.alloc(12), 0);
export const PIXI = fullBox('pixi', 3, [8, 8, 8]);
export const IPMA = fullBox('ipma', u32be(0));
export const iprp = (...properties: Buffer[]) => box('iprp', box('ipco', ...properties), IPMA);
export const meta = (...properties: Buffer[]) => fullBox('meta', HDLR, iprp(...properties));
export const MDAT = box('mdat', Buffer.alloc(32, 0xaa));
export const avif = (...properties: Buffer[]) => bytes(AVIF_FTYP, meta(...properties), MDAT);

// Real images ----------------------------------------------------------------------------------------------------

/** 1×1 RGBA red, built by hand: signature, IHDR, IDAT (zlib of [filter 0, FF 00 00 FF]), IEND, with real CRCs. */
export const REAL_PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP4z8DwHwAFAAH/VscvDQAAAABJRU5ErkJggg==',
  'base64',
);
/** 1×1 transparent GIF89a: screen, 2-entry color table, graphic control extension, one image, trailer. */
export const REAL_GIF_1X1 = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');
// The following were encoded by sharp 0.35 (libvips 8.18) and decode there to the dimensions asserted below.
export const REAL_JPEG_3X5 = Buffer.from(
  '/9j/2wBDAFA3PEY8MlBGQUZaVVBfeMiCeG5uePWvuZHI////////////////////////////////////////////////////2wBDAVVaWnhpeOuC' +
    'guv/////////////////////////////////////////////////////////////////////////wAARCAAFAAMDASIAAhEBAxEB/8QAFQABAQAA' +
    'AAAAAAAAAAAAAAAAAAT/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFAEBAAAAAAAAAAAAAAAAAAAAAP/EABQRAQAAAAAAAAAAAAAAAAAAAAD/2gAM' +
    'AwEAAhEDEQA/ALQAf//Z',
  'base64',
);
export const REAL_WEBP_LOSSLESS_37X23 = Buffer.from('UklGRh4AAABXRUJQVlA4TBEAAAAvJIAFEAdQ5CrUo4CBiOh/AAA=', 'base64');
export const REAL_WEBP_ANIMATED_16X16X3 = Buffer.from(
  'UklGRjABAABXRUJQVlA4WAoAAAACAAAADwAADwAAQU5JTQYAAAD/////AABBTk1GUgAAAAAAAAAAAA8AAA8AAGQAAAJWUDggOgAAADACAJ0BKhAA' +
    'EAABQCYlqAJ0cwE1/gZDVvyoAP7+6n7UVdew4fIe/XmT2r9fIXlGf/w3m7vN7CiAAABBTk1GTgAAAAAAAAAAAA8AAA8AAGQAAABWUDggNgAAABQC' +
    'AJ0BKhAAEAAAACYloAJ0fwev+BJmJbAA/v0j09LO1VT6wrH3754eVKEP/iWym9v3huUAAEFOTUZUAAAAAAAAAAAADwAADwAAZAAAAFZQOCA8AAAA' +
    'VAIAnQEqEAAQAAAAJiWoAnS6AUQDa/wJMxHsAP730aNgD+mbHFB+Vu+uVaY8nd/7tMX8IL/bTF60QAAA',
  'base64',
);
export const REAL_GIF_ANIMATED_16X16X3 = Buffer.from(
  'R0lGODlhEAAQAIQAAExpcQB4MgBGMgCWMgAAMgAeMgAKMgAoMgAUMgAyMgBkMgCCMgBQMgBuMgA8MgCMMgBaMgAAAAAAAAAAAAAAAAAAAAAAAAAA' +
    'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAACH/C05FVFNDQVBFMi4wAwEAAAAh+QQFCgAAACwAAAAAEAAQAAAFRyBhIMWROAIDKU2wPINImqjKurBc' +
    'nunavrHRrubDBWc82y8npPVuQJ1TaZQmi9HmFcpEErnH4XMZnmK7YmrWO65qv2Qr3BgCACH5BAUKAAAALAAAAAAQABAAhExpcWR4MmRGMmSWMmQA' +
    'MmQeMmQKMmQoMmQUMmQyMmRkMmSCMmRQMmRuMmQ8MmSMMmRaMgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAVH' +
    'IGEgxZE4AgMpTbA8g0iaqMq6sFye6dq+sdGu5sMFZzzbLyek9W5AnVNplCaL0eYVykQSucfhcxmeYrtiatY7rmq/ZCvcGAIAIfkEBQoAAAAsAAAA' +
    'ABAAEACETGlxyHgyyEYyyJYyyAAyyB4yyAoyyCgyyBQyyDIyyGQyyIIyyFAyyG4yyDwyyIwyyFoyAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' +
    'AAAAAAAAAAAAAAAAAAAAAAAABUcgYSDFkTgCAylNsDyDSJqoyrqwXJ7p2r6x0a7mwwVnPNsvJ6T1bkCdU2mUJovR5hXKRBK5x+FzGZ5iu2Jq1juu' +
    'ar9kK9wYAgA7',
  'base64',
);
/** Lossy with alpha: ftyp, meta (hdlr, iloc, iinf, pitm, iprp with av1C/ispe/pixi/auxC, ipma, iref), mdat. */
export const REAL_AVIF_37X23 = Buffer.from(
  'AAAAHGZ0eXBhdmlmAAAAAG1pZjFhdmlmbWlhZgAAAXBtZXRhAAAAAAAAACFoZGxyAAAAAAAAAABwaWN0AAAAAAAAAAAAAAAAAAAAADRpbG9jAAAA' +
    'AERAAAIAAQAAAAABlAABAAAAAAAAACUAAgAAAAABuQABAAAAAAAAABIAAAA4aWluZgAAAAAAAgAAABVpbmZlAgAAAAABAABhdjAxAAAAABVpbmZl' +
    'AgAAAAACAABhdjAxAAAAAA5waXRtAAAAAAABAAAAr2lwcnAAAACKaXBjbwAAAAxhdjFDgSACAAAAABRpc3BlAAAAAAAAACUAAAAXAAAAEHBpeGkA' +
    'AAAAAwgICAAAAAxhdjFDgQAcAAAAAA5waXhpAAAAAAEIAAAAOGF1eEMAAAAAdXJuOm1wZWc6bXBlZ0I6Y2ljcDpzeXN0ZW1zOmF1eGlsaWFyeTph' +
    'bHBoYQAAAAAdaXBtYQAAAAAAAAACAAEDgQIDAAIEhAIFhgAAABppcmVmAAAAAAAAAA5hdXhsAAIAAQABAAAAP21kYXQSAAoJOBUks0gIaDSAMhYZ' +
    'QmMEwAA0AACsUMAUHyJ1W2Ll3bXAEgAKBhgVJLMKgDIGGAAAAUAU',
  'base64',
);

// ---------------------------------------------------------------------------------------------------------------
// Fuzzing support
// ---------------------------------------------------------------------------------------------------------------

/** mulberry32: a seeded generator, so a failing case reproduces. */
export const seeded = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
export type Random = ReturnType<typeof seeded>;
export const below = (random: Random, limit: number) => Math.floor(random() * limit);
export const randomBytes = (random: Random, length: number) =>
  Buffer.from(Array.from({ length }, () => below(random, 256)));
export const INTERESTING_BYTES = [0x00, 0x01, 0x02, 0x07, 0x08, 0x0f, 0x10, 0x2c, 0x21, 0x3b, 0x7f, 0x80, 0xfe, 0xff];

/** A copy of `source` with a few bytes changed, cut short, spliced or with a slice repeated. */
export const mutate = (random: Random, source: Buffer): Buffer => {
  const copy = Buffer.from(source);
  const strategy = below(random, 5);
  if (strategy === 0) return copy.subarray(0, below(random, copy.length + 1));
  if (strategy === 1) {
    const at = below(random, copy.length + 1);
    return Buffer.concat([copy.subarray(0, at), randomBytes(random, below(random, 16)), copy.subarray(at)]);
  }
  if (strategy === 2) {
    const from = below(random, copy.length + 1);
    const slice = copy.subarray(from, from + below(random, 64));
    return Buffer.concat([copy.subarray(0, from), slice, slice, copy.subarray(from)]);
  }
  for (let changes = 1 + below(random, 8); changes > 0 && copy.length > 0; changes -= 1) {
    const at = below(random, copy.length);
    copy[at] = strategy === 3 ? below(random, 256) : INTERESTING_BYTES[below(random, INTERESTING_BYTES.length)]!;
  }
  return copy;
};

/** Undefined, or positive safe integers within the documented limits; never more frames than bytes. */
export const isSane = (result: ImageDimensions | undefined, input: Buffer) =>
  result === undefined ||
  (Number.isSafeInteger(result.width) &&
    Number.isSafeInteger(result.height) &&
    Number.isSafeInteger(result.frames) &&
    result.width >= 1 &&
    result.width <= 2 ** 31 &&
    result.height >= 1 &&
    result.height <= 2 ** 31 &&
    result.frames >= 1 &&
    result.frames <= Math.max(1, input.length) &&
    Number.isSafeInteger(declaredPixels(result)));

/** Runs the reader over every input; returns the inputs (base64) that threw or gave insane numbers, and the time. */
export const fuzz = (mime: string, inputs: Iterable<Buffer>) => {
  const failures: string[] = [];
  const started = performance.now();
  for (const input of inputs) {
    try {
      if (!isSane(readImageDimensions(input, mime), input)) failures.push(input.toString('base64'));
    } catch (error) {
      failures.push(`${input.toString('base64')} threw ${String(error)}`);
    }
  }
  return { failures, milliseconds: performance.now() - started };
};
export function* generate(count: number, make: (index: number) => Buffer) {
  for (let index = 0; index < count; index += 1) yield make(index);
}
export const timed = <T>(work: () => T) => {
  const started = performance.now();
  const result = work();
  return { result, milliseconds: performance.now() - started };
};

export const MIMES = ['image/png', 'image/gif', 'image/jpeg', 'image/webp', 'image/avif'] as const;
export type Mime = (typeof MIMES)[number];
export const MAGIC: Record<Mime, Buffer> = {
  'image/png': bytes(PNG_SIGNATURE, u32be(13), 'IHDR'),
  'image/gif': bytes('GIF89a'),
  'image/jpeg': bytes(SOI),
  'image/webp': bytes('RIFF', u32le(0), 'WEBP'),
  'image/avif': AVIF_FTYP,
};
export const FIXTURES: Record<Mime, Buffer[]> = {
  'image/png': [REAL_PNG_1X1, png(16000, 16000), png(640, 480, pngChunk('acTL', u32be(9), u32be(0)))],
  'image/gif': [
    REAL_GIF_1X1,
    REAL_GIF_ANIMATED_16X16X3,
    gif(10, 10, [
      { width: 5, height: 5, localTable: 3 },
      { left: 9, top: 9, width: 40, height: 40 },
    ]),
    bytes(gifScreen(300, 200, { globalTable: 7 }), gifExtension(0xfe, 'a comment'), gifFrame({ width: 3, height: 3 })),
  ],
  'image/jpeg': [
    REAL_JPEG_3X5,
    jpeg(APP0_JFIF, DQT, sof(640, 480), DHT),
    jpeg(segment(0xe1, 'Exif\0\0', bytes(SOI, sof(1, 1))), [0xff, 0xff], sof(4000, 3000, 0xc2)),
  ],
  'image/webp': [
    REAL_WEBP_LOSSLESS_37X23,
    REAL_WEBP_ANIMATED_16X16X3,
    webp(vp8(640, 480)),
    webp(vp8x(16384, 16384, ANIMATION_FLAG), ANIM, anmf(16, 16), anmf(16, 16), anmf(16, 16)),
  ],
  'image/avif': [
    REAL_AVIF_37X23,
    avif(ispe(512, 512), ispe(4096, 2048), ispe(160, 90)),
    bytes(ftyp('avis', 'avif'), MDAT, largeBox('meta', [0, 0, 0, 0], HDLR, iprp(ispe(64, 48)))),
  ],
};
