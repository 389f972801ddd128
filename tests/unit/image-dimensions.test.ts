/** The image-header reader behind the upload pixel budget, format by format and attack by attack. */
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import {
  declaredPixels,
  readImageDimensions,
  type ImageDimensions,
} from '../../server/src/content/guards/image-dimensions';

// ---------------------------------------------------------------------------------------------------------------
// Byte builders
// ---------------------------------------------------------------------------------------------------------------

type Part = number | number[] | string | Buffer;

const toBuffer = (part: Part): Buffer => {
  if (typeof part === 'number') return Buffer.from([part]);
  if (typeof part === 'string') return Buffer.from(part, 'latin1');
  return Buffer.isBuffer(part) ? part : Buffer.from(part);
};
const bytes = (...parts: Part[]): Buffer => Buffer.concat(parts.map(toBuffer));
const repeat = (part: Buffer, times: number): Buffer => Buffer.concat(Array.from({ length: times }, () => part));

const integer = (size: number, write: (buffer: Buffer, value: number) => void) => (value: number) => {
  const buffer = Buffer.alloc(size);
  write(buffer, value);
  return buffer;
};
const u16le = integer(2, (buffer, value) => buffer.writeUInt16LE(value));
const u16be = integer(2, (buffer, value) => buffer.writeUInt16BE(value));
const u24le = integer(3, (buffer, value) => buffer.writeUIntLE(value, 0, 3));
const u32le = integer(4, (buffer, value) => buffer.writeUInt32LE(value));
const u32be = integer(4, (buffer, value) => buffer.writeUInt32BE(value));
const u64be = (value: bigint) => {
  const buffer = Buffer.alloc(8);
  buffer.writeBigUInt64BE(value);
  return buffer;
};

const read = (mime: string, ...parts: Part[]) => readImageDimensions(bytes(...parts), mime);
const still = (width: number, height: number): ImageDimensions => ({ width, height, frames: 1 });

// PNG ------------------------------------------------------------------------------------------------------------

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** A PNG chunk; the CRC is left zero, the reader does not check it. */
const pngChunk = (type: string, ...data: Part[]) => {
  const payload = bytes(...data);
  return bytes(u32be(payload.length), type, payload, u32be(0));
};
const ihdr = (width: number, height: number) => pngChunk('IHDR', u32be(width), u32be(height), [8, 6, 0, 0, 0]);
const png = (width: number, height: number, ...chunks: Buffer[]) =>
  bytes(PNG_SIGNATURE, ihdr(width, height), ...chunks, pngChunk('IEND'));

// GIF ------------------------------------------------------------------------------------------------------------

interface GifFrameSpec {
  left?: number;
  top?: number;
  width: number;
  height: number;
  /** Size exponent of a local color table (entries = 2^(bits + 1)); none when absent. */
  localTable?: number;
}
/** A color table filled with 0x2C / 0x21 bytes: a reader that fails to skip it would see blocks in it. */
const gifColorTable = (bits: number | undefined) =>
  bits === undefined ? Buffer.alloc(0) : Buffer.alloc(3 * 2 ** (bits + 1), bits % 2 ? 0x2c : 0x21);
const gifPacked = (bits: number | undefined) => (bits === undefined ? 0 : 0x80 | bits);
const gifScreen = (
  width: number,
  height: number,
  { version = '89a', globalTable = undefined as number | undefined } = {},
) => bytes(`GIF${version}`, u16le(width), u16le(height), gifPacked(globalTable), 0, 0, gifColorTable(globalTable));
const gifFrame = ({ left = 0, top = 0, width, height, localTable }: GifFrameSpec) =>
  bytes(0x2c, u16le(left), u16le(top), u16le(width), u16le(height), gifPacked(localTable), gifColorTable(localTable), [
    2, // LZW minimum code size
    2,
    0x4c,
    0x01, // one 2-byte data sub-block
    0, // block terminator
  ]);
const gifExtension = (label: number, ...subBlocks: Part[]) =>
  bytes(0x21, label, ...subBlocks.map((block) => bytes(toBuffer(block).length, block)), 0);
const GRAPHIC_CONTROL = gifExtension(0xf9, [0, 10, 0, 0]);
const NETSCAPE_LOOP = gifExtension(0xff, 'NETSCAPE2.0', [1, 0, 0]);
const GIF_TRAILER = 0x3b;
const gif = (width: number, height: number, frames: GifFrameSpec[]) =>
  bytes(
    gifScreen(width, height),
    NETSCAPE_LOOP,
    ...frames.flatMap((frame) => [GRAPHIC_CONTROL, gifFrame(frame)]),
    GIF_TRAILER,
  );

// JPEG -----------------------------------------------------------------------------------------------------------

const SOI = [0xff, 0xd8];
const EOI = [0xff, 0xd9];
const segment = (marker: number, ...payload: Part[]) => {
  const body = bytes(...payload);
  return bytes(0xff, marker, u16be(body.length + 2), body);
};
const sof = (width: number, height: number, marker = 0xc0) =>
  segment(marker, 8, u16be(height), u16be(width), 3, [1, 0x22, 0], [2, 0x11, 1], [3, 0x11, 1]);
const APP0_JFIF = segment(0xe0, 'JFIF\0', [1, 1, 0], u16be(72), u16be(72), [0, 0]);
const DQT = segment(0xdb, 0, Buffer.alloc(64, 1));
const DHT = segment(0xc4, 0, Buffer.alloc(16, 0), 0);
const SOS = segment(0xda, [1, 1, 0, 0, 63, 0]);
const jpeg = (...segments: Part[]) => bytes(SOI, ...segments, SOS, [0x12, 0x34], EOI);

// WebP -----------------------------------------------------------------------------------------------------------

const riffChunk = (fourcc: string, ...payload: Part[]) => {
  const body = bytes(...payload);
  return bytes(fourcc, u32le(body.length), body, body.length % 2 ? [0] : []);
};
const webp = (...chunks: Buffer[]) => {
  const body = bytes('WEBP', ...chunks);
  return bytes('RIFF', u32le(body.length), body);
};
const VP8_FRAME_TAG = [0x50, 0x02, 0x00];
const VP8_START_CODE = [0x9d, 0x01, 0x2a];
const vp8 = (widthField: number, heightField: number) =>
  riffChunk('VP8 ', VP8_FRAME_TAG, VP8_START_CODE, u16le(widthField), u16le(heightField), Buffer.alloc(8));
const vp8l = (width: number, height: number) =>
  riffChunk('VP8L', 0x2f, u32le(((width - 1) | ((height - 1) << 14)) >>> 0), Buffer.alloc(4));
const ANIMATION_FLAG = 0x02;
const vp8x = (width: number, height: number, flags = 0) =>
  riffChunk('VP8X', flags, [0, 0, 0], u24le(width - 1), u24le(height - 1));
const ANIM = riffChunk('ANIM', u32le(0), u16le(0));
const anmf = (width: number, height: number) =>
  riffChunk('ANMF', u24le(0), u24le(0), u24le(width - 1), u24le(height - 1), u24le(100), 0, vp8(width, height));

// AVIF (ISO BMFF) ------------------------------------------------------------------------------------------------

const box = (type: string, ...payload: Part[]) => {
  const body = bytes(...payload);
  return bytes(u32be(body.length + 8), type, body);
};
const fullBox = (type: string, ...payload: Part[]) => box(type, [0, 0, 0, 0], ...payload);
const largeBox = (type: string, ...payload: Part[]) => {
  const body = bytes(...payload);
  return bytes(u32be(1), type, u64be(BigInt(body.length + 16)), body);
};
const ftyp = (major: string, ...compatible: string[]) => box('ftyp', major, u32be(0), ...compatible);
const AVIF_FTYP = ftyp('avif', 'mif1', 'avif', 'miaf');
const ispe = (width: number, height: number) => fullBox('ispe', u32be(width), u32be(height));
const HDLR = fullBox('hdlr', u32be(0), 'pict', Buffer.alloc(12), 0);
const PIXI = fullBox('pixi', 3, [8, 8, 8]);
const IPMA = fullBox('ipma', u32be(0));
const iprp = (...properties: Buffer[]) => box('iprp', box('ipco', ...properties), IPMA);
const meta = (...properties: Buffer[]) => fullBox('meta', HDLR, iprp(...properties));
const MDAT = box('mdat', Buffer.alloc(32, 0xaa));
const avif = (...properties: Buffer[]) => bytes(AVIF_FTYP, meta(...properties), MDAT);

// Real images ----------------------------------------------------------------------------------------------------

/** 1×1 RGBA red, built by hand: signature, IHDR, IDAT (zlib of [filter 0, FF 00 00 FF]), IEND, with real CRCs. */
const REAL_PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP4z8DwHwAFAAH/VscvDQAAAABJRU5ErkJggg==',
  'base64',
);
/** 1×1 transparent GIF89a: screen, 2-entry color table, graphic control extension, one image, trailer. */
const REAL_GIF_1X1 = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');
// The following were encoded by sharp 0.35 (libvips 8.18) and decode there to the dimensions asserted below.
const REAL_JPEG_3X5 = Buffer.from(
  '/9j/2wBDAFA3PEY8MlBGQUZaVVBfeMiCeG5uePWvuZHI////////////////////////////////////////////////////2wBDAVVaWnhpeOuC' +
    'guv/////////////////////////////////////////////////////////////////////////wAARCAAFAAMDASIAAhEBAxEB/8QAFQABAQAA' +
    'AAAAAAAAAAAAAAAAAAT/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFAEBAAAAAAAAAAAAAAAAAAAAAP/EABQRAQAAAAAAAAAAAAAAAAAAAAD/2gAM' +
    'AwEAAhEDEQA/ALQAf//Z',
  'base64',
);
const REAL_WEBP_LOSSLESS_37X23 = Buffer.from('UklGRh4AAABXRUJQVlA4TBEAAAAvJIAFEAdQ5CrUo4CBiOh/AAA=', 'base64');
const REAL_WEBP_ANIMATED_16X16X3 = Buffer.from(
  'UklGRjABAABXRUJQVlA4WAoAAAACAAAADwAADwAAQU5JTQYAAAD/////AABBTk1GUgAAAAAAAAAAAA8AAA8AAGQAAAJWUDggOgAAADACAJ0BKhAA' +
    'EAABQCYlqAJ0cwE1/gZDVvyoAP7+6n7UVdew4fIe/XmT2r9fIXlGf/w3m7vN7CiAAABBTk1GTgAAAAAAAAAAAA8AAA8AAGQAAABWUDggNgAAABQC' +
    'AJ0BKhAAEAAAACYloAJ0fwev+BJmJbAA/v0j09LO1VT6wrH3754eVKEP/iWym9v3huUAAEFOTUZUAAAAAAAAAAAADwAADwAAZAAAAFZQOCA8AAAA' +
    'VAIAnQEqEAAQAAAAJiWoAnS6AUQDa/wJMxHsAP730aNgD+mbHFB+Vu+uVaY8nd/7tMX8IL/bTF60QAAA',
  'base64',
);
const REAL_GIF_ANIMATED_16X16X3 = Buffer.from(
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
const REAL_AVIF_37X23 = Buffer.from(
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
const seeded = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
type Random = ReturnType<typeof seeded>;
const below = (random: Random, limit: number) => Math.floor(random() * limit);
const randomBytes = (random: Random, length: number) => Buffer.from(Array.from({ length }, () => below(random, 256)));
const INTERESTING_BYTES = [0x00, 0x01, 0x02, 0x07, 0x08, 0x0f, 0x10, 0x2c, 0x21, 0x3b, 0x7f, 0x80, 0xfe, 0xff];

/** A copy of `source` with a few bytes changed, cut short, spliced or with a slice repeated. */
const mutate = (random: Random, source: Buffer): Buffer => {
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
const isSane = (result: ImageDimensions | undefined, input: Buffer) =>
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
const fuzz = (mime: string, inputs: Iterable<Buffer>) => {
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
function* generate(count: number, make: (index: number) => Buffer) {
  for (let index = 0; index < count; index += 1) yield make(index);
}
const timed = <T>(work: () => T) => {
  const started = performance.now();
  const result = work();
  return { result, milliseconds: performance.now() - started };
};

const MIMES = ['image/png', 'image/gif', 'image/jpeg', 'image/webp', 'image/avif'] as const;
type Mime = (typeof MIMES)[number];
const MAGIC: Record<Mime, Buffer> = {
  'image/png': bytes(PNG_SIGNATURE, u32be(13), 'IHDR'),
  'image/gif': bytes('GIF89a'),
  'image/jpeg': bytes(SOI),
  'image/webp': bytes('RIFF', u32le(0), 'WEBP'),
  'image/avif': AVIF_FTYP,
};
const FIXTURES: Record<Mime, Buffer[]> = {
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

// ---------------------------------------------------------------------------------------------------------------
// PNG
// ---------------------------------------------------------------------------------------------------------------

describe('readImageDimensions: PNG', () => {
  it('reads a real 1×1 PNG', () => {
    expect(readImageDimensions(REAL_PNG_1X1, 'image/png')).toEqual(still(1, 1));
  });

  it('a 33-byte PNG header (signature + IHDR) declaring 16000×16000 reports 256 Mpx', () => {
    const header = bytes(PNG_SIGNATURE, ihdr(16000, 16000));
    expect(header.length).toBe(33);
    const dimensions = readImageDimensions(header, 'image/png');
    expect(dimensions).toEqual(still(16000, 16000));
    expect(declaredPixels(dimensions!)).toBe(256_000_000);
  });

  it('reads a header without its CRC: the declaration is what the budget judges', () => {
    expect(read('image/png', PNG_SIGNATURE, u32be(13), 'IHDR', u32be(3), u32be(7), [8, 2, 0, 0, 0])).toEqual(
      still(3, 7),
    );
  });

  it('keeps width and height apart (big-endian, width first)', () => {
    expect(readImageDimensions(png(0x01020304, 5), 'image/png')).toEqual(still(0x01020304, 5));
  });

  it.each(Array.from({ length: 29 }, (_, length) => length))('a truncated IHDR (%i bytes) is unreadable', (length) => {
    expect(readImageDimensions(png(100, 100).subarray(0, length), 'image/png')).toBeUndefined();
  });

  it('an APNG still counts one frame: sharp decodes the default image only', () => {
    const apng = png(
      1000,
      1000,
      pngChunk('acTL', u32be(500), u32be(0)),
      pngChunk('fcTL', u32be(0), u32be(1000), u32be(1000), Buffer.alloc(14)),
    );
    expect(readImageDimensions(apng, 'image/png')).toEqual(still(1000, 1000));
  });

  it('an IHDR that is not the first chunk is refused', () => {
    expect(read('image/png', PNG_SIGNATURE, pngChunk('tEXt', 'a\0b'), ihdr(10, 10))).toBeUndefined();
  });

  it.each([0, 12, 14, 0xffffffff])('an IHDR whose length is %i is refused', (length) => {
    expect(
      read('image/png', PNG_SIGNATURE, u32be(length), 'IHDR', u32be(10), u32be(10), Buffer.alloc(9)),
    ).toBeUndefined();
  });

  it('a lowercase ihdr chunk type is refused', () => {
    expect(read('image/png', PNG_SIGNATURE, u32be(13), 'ihdr', u32be(10), u32be(10), Buffer.alloc(9))).toBeUndefined();
  });

  it.each([
    ['one bit off', [0x88, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
    ['CRLF mangled into LF', [0x89, 0x50, 0x4e, 0x47, 0x0a, 0x1a, 0x0a, 0x00]],
    ['a JPEG start', [0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46]],
  ])('a signature %s is refused', (_, signature) => {
    expect(read('image/png', signature, ihdr(10, 10))).toBeUndefined();
  });

  it.each([
    [0, 10],
    [10, 0],
    [0, 0],
  ])('a zero side (%i×%i) is unreadable', (width, height) => {
    expect(readImageDimensions(png(width, height), 'image/png')).toBeUndefined();
  });

  it('accepts sides up to 2^31 and refuses larger ones', () => {
    expect(readImageDimensions(png(2 ** 31, 1), 'image/png')).toEqual(still(2 ** 31, 1));
    expect(readImageDimensions(png(2 ** 31 + 1, 1), 'image/png')).toBeUndefined();
    expect(readImageDimensions(png(1, 0xffffffff), 'image/png')).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------------------------
// GIF
// ---------------------------------------------------------------------------------------------------------------

describe('readImageDimensions: GIF', () => {
  it('reads a real 1×1 GIF89a', () => {
    expect(readImageDimensions(REAL_GIF_1X1, 'image/gif')).toEqual(still(1, 1));
  });

  it('reads a real animated GIF of 16×16 with 3 frames', () => {
    expect(readImageDimensions(REAL_GIF_ANIMATED_16X16X3, 'image/gif')).toEqual({ width: 16, height: 16, frames: 3 });
  });

  it('reads GIF87a as well as GIF89a', () => {
    const gif87 = bytes(gifScreen(7, 9, { version: '87a' }), gifFrame({ width: 7, height: 9 }), GIF_TRAILER);
    expect(readImageDimensions(gif87, 'image/gif')).toEqual(still(7, 9));
  });

  it.each(['GIF88a', 'GIF89b', 'gif89a', 'GIF8'])('a %s signature is refused', (signature) => {
    expect(read('image/gif', signature, u16le(1), u16le(1), [0, 0, 0])).toBeUndefined();
  });

  it('keeps width and height apart (little-endian, width first)', () => {
    expect(readImageDimensions(gif(0x0102, 0x0304, [{ width: 1, height: 1 }]), 'image/gif')).toEqual(
      still(0x0102, 0x0304),
    );
  });

  it('a GIF of 1×1 with 10 000 frames counts every frame', () => {
    const frame = bytes(GRAPHIC_CONTROL, gifFrame({ width: 1, height: 1 }));
    const animated = bytes(gifScreen(1, 1), NETSCAPE_LOOP, repeat(frame, 10_000), GIF_TRAILER);
    const dimensions = readImageDimensions(animated, 'image/gif');
    expect(dimensions).toEqual({ width: 1, height: 1, frames: 10_000 });
    expect(declaredPixels(dimensions!)).toBe(10_000);
  });

  it('a 1 000×1 000 GIF of 300 tiny frames is budgeted as 300 full canvases', () => {
    const frames = Array.from({ length: 300 }, () => ({ width: 1, height: 1 }));
    expect(declaredPixels(readImageDimensions(gif(1000, 1000, frames), 'image/gif')!)).toBe(300_000_000);
  });

  it('a GIF frame larger than its logical screen widens the canvas', () => {
    expect(readImageDimensions(gif(10, 10, [{ width: 5000, height: 4000 }]), 'image/gif')).toEqual(still(5000, 4000));
  });

  it('a GIF frame offset past its logical screen widens the canvas to left + width', () => {
    const frames = [{ left: 60_000, top: 50_000, width: 65_535, height: 65_535 }];
    expect(readImageDimensions(gif(1, 1, frames), 'image/gif')).toEqual(still(125_535, 115_535));
  });

  it('takes the largest extent over all frames, per side', () => {
    const frames = [
      { left: 0, top: 90, width: 10, height: 10 },
      { left: 190, top: 0, width: 10, height: 10 },
    ];
    expect(readImageDimensions(gif(50, 50, frames), 'image/gif')).toEqual({ width: 200, height: 100, frames: 2 });
  });

  it('a 0×0 logical screen takes its size from the frames', () => {
    expect(readImageDimensions(gif(0, 0, [{ width: 20, height: 30 }]), 'image/gif')).toEqual(still(20, 30));
  });

  it('a 0×0 logical screen without frames is unreadable', () => {
    expect(read('image/gif', gifScreen(0, 0), GIF_TRAILER)).toBeUndefined();
  });

  it('a screen descriptor without any frame counts one frame', () => {
    expect(read('image/gif', gifScreen(640, 480), GIF_TRAILER)).toEqual(still(640, 480));
    expect(readImageDimensions(gifScreen(640, 480).subarray(0, 11), 'image/gif')).toEqual(still(640, 480));
  });

  it.each(Array.from({ length: 11 }, (_, length) => length))(
    'a GIF cut inside its screen descriptor (%i bytes) is unreadable',
    (length) => {
      expect(readImageDimensions(gifScreen(640, 480).subarray(0, length), 'image/gif')).toBeUndefined();
    },
  );

  it.each([0, 1, 4, 7])('skips a global color table of 2^(%i+1) entries instead of reading it as blocks', (bits) => {
    const file = bytes(gifScreen(8, 8, { globalTable: bits }), gifFrame({ width: 8, height: 8 }), GIF_TRAILER);
    expect(readImageDimensions(file, 'image/gif')).toEqual(still(8, 8));
  });

  it.each([0, 3, 7])('skips a local color table of 2^(%i+1) entries before the image data', (bits) => {
    const frames = [
      { width: 4, height: 4, localTable: bits },
      { width: 4, height: 4, localTable: bits },
    ];
    expect(readImageDimensions(gif(4, 4, frames), 'image/gif')).toEqual({ width: 4, height: 4, frames: 2 });
  });

  it('extension sub-blocks full of descriptor bytes are not counted as frames', () => {
    const comment = gifExtension(0xfe, Buffer.alloc(255, 0x2c), Buffer.alloc(3, 0x21));
    const file = bytes(gifScreen(8, 8), comment, gifFrame({ width: 8, height: 8 }), comment, GIF_TRAILER);
    expect(readImageDimensions(file, 'image/gif')).toEqual(still(8, 8));
  });

  it('skips sub-blocks of every length from 1 to 255', () => {
    const subBlocks = Array.from({ length: 255 }, (_, index) => Buffer.alloc(index + 1, 0x2c));
    const file = bytes(
      gifScreen(8, 8),
      gifExtension(0xfe, ...subBlocks),
      gifFrame({ width: 80, height: 60 }),
      GIF_TRAILER,
    );
    expect(readImageDimensions(file, 'image/gif')).toEqual(still(80, 60));
  });

  it('image data sub-blocks full of descriptor bytes are not counted as frames', () => {
    const descriptor = bytes(0x2c, u16le(0), u16le(0), u16le(8), u16le(8), 0);
    const data = bytes(2, 255, Buffer.alloc(255, 0x2c), 4, [0x21, 0xf9, 0x2c, 0x3b], 0);
    expect(read('image/gif', gifScreen(8, 8), descriptor, data, GIF_TRAILER)).toEqual(still(8, 8));
  });

  it('a truncated GIF counts the frames whose descriptors were read', () => {
    const frames = Array.from({ length: 6 }, () => ({ width: 2, height: 2 }));
    const file = gif(2, 2, frames);
    const sixthDescriptor = file.length - 1 - gifFrame(frames[5]!).length;
    expect(readImageDimensions(file.subarray(0, sixthDescriptor + 12), 'image/gif')?.frames).toBe(6);
    expect(readImageDimensions(file.subarray(0, sixthDescriptor + 9), 'image/gif')?.frames).toBe(5);
    expect(readImageDimensions(file.subarray(0, sixthDescriptor), 'image/gif')?.frames).toBe(5);
  });

  it('an extension whose sub-blocks run off the end keeps the frames counted so far', () => {
    const file = bytes(gifScreen(3, 3), gifFrame({ width: 3, height: 3 }), 0x21, 0xfe, 200, Buffer.alloc(10));
    expect(readImageDimensions(file, 'image/gif')).toEqual(still(3, 3));
  });

  it('the trailer ends the walk: blocks after it are not counted', () => {
    const file = bytes(gif(5, 5, [{ width: 5, height: 5 }]), gifFrame({ width: 9000, height: 9000 }));
    expect(readImageDimensions(file, 'image/gif')).toEqual(still(5, 5));
  });

  it('an unknown block byte ends the walk', () => {
    const file = bytes(gifScreen(5, 5), gifFrame({ width: 5, height: 5 }), 0x99, gifFrame({ width: 9000, height: 1 }));
    expect(readImageDimensions(file, 'image/gif')).toEqual(still(5, 5));
  });

  it('reads the largest logical screen, 65 535×65 535', () => {
    expect(read('image/gif', gifScreen(65_535, 65_535), GIF_TRAILER)).toEqual(still(65_535, 65_535));
  });

  it('walks 16 MB of comment sub-blocks in linear time', () => {
    const subBlock = bytes(255, Buffer.alloc(255, 0x2c));
    const file = bytes(gifScreen(2, 2), 0x21, 0xfe, repeat(subBlock, 65_536), 0, gifFrame({ width: 2, height: 2 }));
    const { result, milliseconds } = timed(() => readImageDimensions(file, 'image/gif'));
    expect(result).toEqual(still(2, 2));
    expect(milliseconds).toBeLessThan(1000);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// JPEG
// ---------------------------------------------------------------------------------------------------------------

describe('readImageDimensions: JPEG', () => {
  it('reads a real 3×5 JPEG', () => {
    expect(readImageDimensions(REAL_JPEG_3X5, 'image/jpeg')).toEqual(still(3, 5));
  });

  it('reads a baseline JPEG, height before width in SOF', () => {
    expect(readImageDimensions(jpeg(APP0_JFIF, DQT, sof(640, 480)), 'image/jpeg')).toEqual(still(640, 480));
  });

  it.each(
    [0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf].map((marker) => [
      marker.toString(16).toUpperCase(),
      marker,
    ]),
  )('reads the frame size from SOF marker FF %s', (_, marker) => {
    expect(readImageDimensions(jpeg(DQT, sof(1234, 567, marker)), 'image/jpeg')).toEqual(still(1234, 567));
  });

  it.each([
    ['DHT (C4)', 0xc4],
    ['JPG (C8)', 0xc8],
    ['DAC (CC)', 0xcc],
  ])('a %s segment shaped like a SOF is skipped, not read as one', (_, marker) => {
    const decoy = segment(marker, 8, u16be(1), u16be(1), 1, [1, 0x11, 0]);
    expect(readImageDimensions(jpeg(decoy, sof(800, 600)), 'image/jpeg')).toEqual(still(800, 600));
  });

  it('a JPEG with fill bytes before SOF', () => {
    expect(read('image/jpeg', SOI, APP0_JFIF, [0xff, 0xff, 0xff], sof(320, 240), SOS, EOI)).toEqual(still(320, 240));
  });

  it('a JPEG with fill bytes before an APP segment', () => {
    expect(read('image/jpeg', SOI, [0xff, 0xff], APP0_JFIF, sof(320, 240), SOS, EOI)).toEqual(still(320, 240));
  });

  it('a JPEG whose first SOF follows an APP1 segment', () => {
    const exif = segment(0xe1, 'Exif\0\0', 'II*\0', u32le(8), Buffer.alloc(40));
    expect(readImageDimensions(jpeg(exif, DQT, sof(4032, 3024)), 'image/jpeg')).toEqual(still(4032, 3024));
  });

  it('skips a segment longer than 255 bytes by its full big-endian length', () => {
    const icc = segment(0xe2, 'ICC_PROFILE\0', [1, 1], repeat(sof(1, 1), 100));
    expect(readImageDimensions(jpeg(icc, sof(2048, 1536)), 'image/jpeg')).toEqual(still(2048, 1536));
  });

  it('an Exif thumbnail inside APP1 does not stand in for the image', () => {
    const thumbnail = bytes(SOI, sof(1, 1), SOS, EOI);
    const exif = segment(0xe1, 'Exif\0\0', thumbnail);
    expect(readImageDimensions(jpeg(exif, sof(20_000, 20_000)), 'image/jpeg')).toEqual(still(20_000, 20_000));
  });

  it('takes the first SOF when several are present', () => {
    expect(readImageDimensions(jpeg(sof(30, 40), sof(50_000, 50_000)), 'image/jpeg')).toEqual(still(30, 40));
  });

  it('steps over standalone markers (RST0–RST7, TEM) that carry no length', () => {
    const standalone = [0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0x01].flatMap((marker) => [0xff, marker]);
    expect(read('image/jpeg', SOI, standalone, sof(64, 32), SOS, EOI)).toEqual(still(64, 32));
  });

  it('SOS before SOF is unreadable', () => {
    expect(read('image/jpeg', SOI, DQT, SOS, [0x12], sof(10, 10), EOI)).toBeUndefined();
  });

  it('EOI before SOF is unreadable', () => {
    expect(read('image/jpeg', SOI, DQT, EOI, sof(10, 10))).toBeUndefined();
  });

  it('a byte other than FF where a marker belongs is unreadable', () => {
    expect(read('image/jpeg', SOI, DQT, 0x00, sof(10, 10))).toBeUndefined();
  });

  it.each([0, 1])('a segment length of %i is unreadable', (length) => {
    expect(read('image/jpeg', SOI, 0xff, 0xe0, u16be(length), sof(10, 10))).toBeUndefined();
  });

  it('a segment running past the end is unreadable', () => {
    expect(read('image/jpeg', SOI, 0xff, 0xe1, u16be(0xffff), Buffer.alloc(100))).toBeUndefined();
  });

  it.each(Array.from({ length: 9 }, (_, keep) => keep))('a SOF cut after %i bytes is unreadable', (keep) => {
    expect(read('image/jpeg', SOI, sof(10, 10).subarray(0, keep))).toBeUndefined();
  });

  it.each([
    ['a height of 0 (deferred to a DNL segment)', 100, 0],
    ['a width of 0', 0, 100],
  ])('%s is unreadable', (_, width, height) => {
    expect(readImageDimensions(jpeg(sof(width, height)), 'image/jpeg')).toBeUndefined();
  });

  it('reads the largest frame, 65 535×65 535', () => {
    expect(readImageDimensions(jpeg(sof(65_535, 65_535)), 'image/jpeg')).toEqual(still(65_535, 65_535));
  });

  it.each([
    ['empty', []],
    ['FF only', [0xff]],
    ['D8 FF', [0xd8, 0xff]],
    ['SOI only', SOI],
    ['a PNG start', PNG_SIGNATURE],
  ])('a start of %s is unreadable', (_, start) => {
    expect(read('image/jpeg', start)).toBeUndefined();
  });

  it('8 MB of fill bytes end without an answer, in linear time', () => {
    const file = bytes(SOI, Buffer.alloc(8 * 1024 * 1024, 0xff));
    const { result, milliseconds } = timed(() => readImageDimensions(file, 'image/jpeg'));
    expect(result).toBeUndefined();
    expect(milliseconds).toBeLessThan(1000);
  });

  it('2 million empty segments before SOF are walked in linear time', () => {
    const file = bytes(SOI, repeat(bytes(0xff, 0xfe, u16be(2)), 2_000_000), sof(9, 9), SOS, EOI);
    const { result, milliseconds } = timed(() => readImageDimensions(file, 'image/jpeg'));
    expect(result).toEqual(still(9, 9));
    expect(milliseconds).toBeLessThan(1000);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// WebP
// ---------------------------------------------------------------------------------------------------------------

describe('readImageDimensions: WebP', () => {
  it('reads a real lossless 37×23 WebP', () => {
    expect(readImageDimensions(REAL_WEBP_LOSSLESS_37X23, 'image/webp')).toEqual(still(37, 23));
  });

  it('reads a real animated WebP of 16×16 with 3 frames', () => {
    expect(readImageDimensions(REAL_WEBP_ANIMATED_16X16X3, 'image/webp')).toEqual({ width: 16, height: 16, frames: 3 });
  });

  it('reads a lossy (VP8) frame size', () => {
    expect(readImageDimensions(webp(vp8(640, 480)), 'image/webp')).toEqual(still(640, 480));
  });

  it('ignores the VP8 scaling bits above the 14-bit size', () => {
    expect(readImageDimensions(webp(vp8(0xc000 | 100, 0x4000 | 200)), 'image/webp')).toEqual(still(100, 200));
  });

  it('reads the largest lossy frame, 16 383×16 383', () => {
    expect(readImageDimensions(webp(vp8(0x3fff, 0x3fff)), 'image/webp')).toEqual(still(16_383, 16_383));
  });

  it('a VP8 frame without the start code is unreadable', () => {
    const chunk = riffChunk('VP8 ', VP8_FRAME_TAG, [0x9d, 0x01, 0x2b], u16le(10), u16le(10), Buffer.alloc(8));
    expect(readImageDimensions(webp(chunk), 'image/webp')).toBeUndefined();
  });

  it('a VP8 chunk too small to hold its frame header is unreadable', () => {
    const chunk = bytes('VP8 ', u32le(6), VP8_FRAME_TAG, VP8_START_CODE, u16le(10), u16le(10));
    expect(readImageDimensions(webp(chunk), 'image/webp')).toBeUndefined();
  });

  it('a VP8 frame of 0 width is unreadable', () => {
    expect(readImageDimensions(webp(vp8(0x4000, 10)), 'image/webp')).toBeUndefined();
  });

  it.each([
    [1, 1],
    [300, 7],
    [7, 300],
    [16_384, 16_384],
  ])('reads a lossless (VP8L) %i×%i from its packed 14-bit fields', (width, height) => {
    expect(readImageDimensions(webp(vp8l(width, height)), 'image/webp')).toEqual(still(width, height));
  });

  it('a VP8L chunk without its 0x2F signature is unreadable', () => {
    const chunk = riffChunk('VP8L', 0x2e, u32le(0), Buffer.alloc(4));
    expect(readImageDimensions(webp(chunk), 'image/webp')).toBeUndefined();
  });

  it('an extended (VP8X) still image counts one frame', () => {
    const file = webp(vp8x(4000, 3000), riffChunk('ICCP', Buffer.alloc(20)), vp8(4000, 3000));
    expect(readImageDimensions(file, 'image/webp')).toEqual(still(4000, 3000));
  });

  it('a VP8X canvas of 16384×16384 with 3 ANMF chunks', () => {
    const file = webp(vp8x(16_384, 16_384, ANIMATION_FLAG), ANIM, anmf(1, 1), anmf(1, 1), anmf(1, 1));
    const dimensions = readImageDimensions(file, 'image/webp');
    expect(dimensions).toEqual({ width: 16_384, height: 16_384, frames: 3 });
    expect(declaredPixels(dimensions!)).toBe(805_306_368);
  });

  it('the VP8X canvas, not the frame size, is what every frame is decoded into', () => {
    const file = webp(vp8x(8000, 8000, ANIMATION_FLAG), ANIM, anmf(1, 1), anmf(1, 1));
    expect(readImageDimensions(file, 'image/webp')).toEqual({ width: 8000, height: 8000, frames: 2 });
  });

  it('counts ANMF chunks even when the animation flag is clear', () => {
    const file = webp(vp8x(100, 100), ANIM, anmf(1, 1), anmf(1, 1));
    expect(readImageDimensions(file, 'image/webp')?.frames).toBe(2);
  });

  it('reads the largest VP8X canvas, 2^24 × 2^24', () => {
    expect(readImageDimensions(webp(vp8x(2 ** 24, 2 ** 24)), 'image/webp')).toEqual(still(2 ** 24, 2 ** 24));
  });

  it('follows RIFF padding after an odd-sized chunk to the ANMF behind it', () => {
    const file = webp(vp8x(50, 50, ANIMATION_FLAG), riffChunk('ICCP', [1, 2, 3]), ANIM, anmf(5, 5), anmf(5, 5));
    expect(readImageDimensions(file, 'image/webp')?.frames).toBe(2);
  });

  it('a truncated animation counts the frames whose chunk headers were read', () => {
    const frame = anmf(4, 4);
    const file = webp(vp8x(4, 4, ANIMATION_FLAG), ANIM, frame, frame, frame, frame, frame);
    const fourthFrame = file.length - 2 * frame.length;
    expect(readImageDimensions(file.subarray(0, fourthFrame + 10), 'image/webp')?.frames).toBe(4);
    expect(readImageDimensions(file.subarray(0, fourthFrame + 7), 'image/webp')?.frames).toBe(3);
  });

  it('a VP8X with 100 000 empty ANMF chunks counts every one, in linear time', () => {
    const file = webp(vp8x(10, 10, ANIMATION_FLAG), ANIM, repeat(bytes('ANMF', u32le(0)), 100_000));
    const { result, milliseconds } = timed(() => readImageDimensions(file, 'image/webp'));
    expect(result).toEqual({ width: 10, height: 10, frames: 100_000 });
    expect(milliseconds).toBeLessThan(1000);
  });

  it('an ANMF chunk whose size runs past the end ends the count', () => {
    const file = webp(vp8x(10, 10, ANIMATION_FLAG), bytes('ANMF', u32le(0xffffffff)), anmf(1, 1));
    expect(readImageDimensions(file, 'image/webp')?.frames).toBe(1);
  });

  it('a VP8X chunk too small for its canvas is unreadable', () => {
    expect(readImageDimensions(webp(riffChunk('VP8X', Buffer.alloc(8))), 'image/webp')).toBeUndefined();
  });

  it('a RIFF size that lies is ignored: the chunks are read as they are', () => {
    const file = webp(vp8l(20, 10));
    file.writeUInt32LE(0xffffffff, 4);
    expect(readImageDimensions(file, 'image/webp')).toEqual(still(20, 10));
  });

  it.each([
    ['an ALPH chunk first', webp(riffChunk('ALPH', [0]), vp8(10, 10))],
    ['no chunk at all', webp()],
    ['a WAVE file', bytes('RIFF', u32le(16), 'WAVE', vp8l(10, 10))],
    ['a big-endian RIFX file', bytes('RIFX', u32le(16), 'WEBP', vp8l(10, 10))],
    ['a chunk header cut short', webp(vp8l(10, 10)).subarray(0, 18)],
    ['a VP8L header cut short', webp(vp8l(10, 10)).subarray(0, 23)],
    ['a VP8X header cut short', webp(vp8x(10, 10)).subarray(0, 29)],
  ])('%s is unreadable', (_, file) => {
    expect(readImageDimensions(file, 'image/webp')).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------------------------
// AVIF
// ---------------------------------------------------------------------------------------------------------------

describe('readImageDimensions: AVIF', () => {
  it('reads a real 37×23 AVIF with an alpha plane', () => {
    expect(readImageDimensions(REAL_AVIF_37X23, 'image/avif')).toEqual(still(37, 23));
  });

  it('reads the ispe of a single image', () => {
    expect(readImageDimensions(avif(ispe(1920, 1080)), 'image/avif')).toEqual(still(1920, 1080));
  });

  it('an AVIF grid takes the largest ispe', () => {
    const file = avif(ispe(512, 512), PIXI, ispe(8192, 4096), ispe(160, 90));
    expect(readImageDimensions(file, 'image/avif')).toEqual(still(8192, 4096));
  });

  it('takes the widest and the tallest ispe separately', () => {
    expect(readImageDimensions(avif(ispe(100, 5000), ispe(6000, 10)), 'image/avif')).toEqual(still(6000, 5000));
  });

  it('accepts avif as a compatible brand behind another major brand', () => {
    const file = bytes(ftyp('mif1', 'miaf', 'avif'), meta(ispe(10, 20)));
    expect(readImageDimensions(file, 'image/avif')).toEqual(still(10, 20));
  });

  it('an image sequence (avis) counts one frame: its samples are not counted', () => {
    const file = bytes(ftyp('avis', 'msf1', 'avif'), meta(ispe(320, 240)), MDAT);
    expect(readImageDimensions(file, 'image/avif')).toEqual(still(320, 240));
  });

  it.each([
    ['a HEIC file', ftyp('heic', 'mif1', 'heic')],
    ['avif only in the minor version field', box('ftyp', 'mif1', 'avif', 'miaf')],
    ['a brand cut short', box('ftyp', 'mif1', u32be(0), 'avi')],
  ])('%s is refused', (_, fileType) => {
    expect(read('image/avif', fileType, meta(ispe(10, 10)))).toBeUndefined();
  });

  it('an ftyp that is not the first box is refused', () => {
    expect(read('image/avif', meta(ispe(10, 10)), AVIF_FTYP)).toBeUndefined();
  });

  it('walks past a media data box before meta', () => {
    expect(read('image/avif', AVIF_FTYP, box('mdat', Buffer.alloc(5000)), meta(ispe(77, 88)))).toEqual(still(77, 88));
  });

  it('reads version and flags before the children of meta (a FullBox)', () => {
    const notFull = box('meta', HDLR, iprp(ispe(10, 10)));
    expect(read('image/avif', AVIF_FTYP, notFull)).toBeUndefined();
  });

  it('reads a meta box with a 64-bit largesize', () => {
    const file = bytes(AVIF_FTYP, largeBox('meta', [0, 0, 0, 0], HDLR, iprp(ispe(640, 360))));
    expect(readImageDimensions(file, 'image/avif')).toEqual(still(640, 360));
  });

  it.each([
    ['beyond 2^32', 2n ** 40n],
    ['of 2^64 - 1', 2n ** 64n - 1n],
    ['smaller than its own 16-byte header', 15n],
    ['of 8, the size of a compact header', 8n],
    ['of 0 (which must not mean "no progress")', 0n],
  ])('a largesize %s stops the walk', (_, size) => {
    const body = bytes([0, 0, 0, 0], HDLR, iprp(ispe(10, 10)));
    expect(read('image/avif', AVIF_FTYP, u32be(1), 'meta', u64be(size), body)).toBeUndefined();
  });

  it('a top-level box size of 0 extends meta to the end of the file', () => {
    const body = bytes([0, 0, 0, 0], HDLR, iprp(ispe(123, 45)));
    expect(read('image/avif', AVIF_FTYP, u32be(0), 'meta', body)).toEqual(still(123, 45));
  });

  it('a box size of 0 inside meta does not loop', () => {
    const swallowing = bytes(u32be(0), 'free', Buffer.alloc(8));
    const file = bytes(AVIF_FTYP, fullBox('meta', HDLR, swallowing, iprp(ispe(10, 10))));
    const { result, milliseconds } = timed(() => readImageDimensions(file, 'image/avif'));
    expect(result).toBeUndefined();
    expect(milliseconds).toBeLessThan(100);
  });

  it('a box size of 0 inside ipco does not loop', () => {
    const file = avif(ispe(30, 40), bytes(u32be(0), 'free'), ispe(9000, 9000));
    expect(readImageDimensions(file, 'image/avif')).toEqual(still(30, 40));
  });

  it.each([2, 3, 4, 5, 6, 7])('a box size smaller than 8 (%i) stops the walk', (size) => {
    const broken = bytes(u32be(size), 'free', Buffer.alloc(8));
    expect(read('image/avif', AVIF_FTYP, fullBox('meta', HDLR, broken, iprp(ispe(10, 10))))).toBeUndefined();
  });

  it('an empty 8-byte box is stepped over', () => {
    expect(read('image/avif', AVIF_FTYP, fullBox('meta', box('free'), iprp(ispe(10, 10))))).toEqual(still(10, 10));
  });

  it('a child box running past its parent stops the walk', () => {
    const overlong = bytes(u32be(200), 'ispe', [0, 0, 0, 0], u32be(50_000), u32be(50_000));
    expect(readImageDimensions(avif(overlong), 'image/avif')).toBeUndefined();
  });

  it('an ispe after an overlong sibling is not reached', () => {
    const overlong = bytes(u32be(200), 'free');
    expect(readImageDimensions(avif(ispe(10, 10), overlong, ispe(50_000, 50_000)), 'image/avif')).toEqual(
      still(10, 10),
    );
  });

  it('a truncated meta is unreadable', () => {
    const file = avif(ispe(10, 10));
    expect(readImageDimensions(file.subarray(0, file.length - MDAT.length - 4), 'image/avif')).toBeUndefined();
  });

  it('a meta box in the middle of nowhere (inside mdat) is not found', () => {
    expect(read('image/avif', AVIF_FTYP, box('mdat', meta(ispe(10, 10))))).toBeUndefined();
  });

  it.each([
    ['no meta', bytes(AVIF_FTYP, MDAT)],
    ['no iprp', bytes(AVIF_FTYP, fullBox('meta', HDLR))],
    ['no ipco', bytes(AVIF_FTYP, fullBox('meta', HDLR, box('iprp', IPMA)))],
    ['no ispe', avif(PIXI)],
    ['an ispe cut short', avif(fullBox('ispe', u32be(10)))],
    ['an ispe of width 0', avif(ispe(0, 10))],
    ['an ispe wider than 2^31', avif(ispe(0xffffffff, 10))],
    ['ftyp only', AVIF_FTYP],
  ])('%s is unreadable', (_, file) => {
    expect(readImageDimensions(file, 'image/avif')).toBeUndefined();
  });

  it('100 000 boxes in ipco are walked in linear time', () => {
    const file = avif(repeat(box('free'), 100_000), ispe(11, 22));
    const { result, milliseconds } = timed(() => readImageDimensions(file, 'image/avif'));
    expect(result).toEqual(still(11, 22));
    expect(milliseconds).toBeLessThan(1000);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Every format
// ---------------------------------------------------------------------------------------------------------------

describe('readImageDimensions: any format', () => {
  it.each([
    'image/svg+xml',
    'image/tiff',
    'image/bmp',
    'image/heic',
    'IMAGE/PNG',
    'image/png ',
    '',
    'application/octet-stream',
  ])('the mime %j is unreadable', (mime) => {
    expect(readImageDimensions(REAL_PNG_1X1, mime)).toBeUndefined();
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'the mime %j does not reach an inherited property',
    (mime) => {
      expect(() => readImageDimensions(REAL_PNG_1X1, mime)).not.toThrow();
      expect(readImageDimensions(REAL_PNG_1X1, mime)).toBeUndefined();
    },
  );

  it('a file read under another format’s mime is unreadable', () => {
    for (const fileMime of MIMES) {
      for (const file of FIXTURES[fileMime]) {
        for (const mime of MIMES) {
          if (mime !== fileMime) expect(readImageDimensions(file, mime), `${fileMime} as ${mime}`).toBeUndefined();
        }
      }
    }
  });

  it.each(MIMES)('every %s fixture is readable (so the fuzzing starts from valid files)', (mime) => {
    for (const file of FIXTURES[mime]) expect(readImageDimensions(file, mime)).toBeDefined();
  });

  it.each(MIMES)('an empty %s buffer is unreadable', (mime) => {
    expect(readImageDimensions(Buffer.alloc(0), mime)).toBeUndefined();
  });

  it.each(MIMES)('reading a %s never writes to the buffer', (mime) => {
    for (const file of FIXTURES[mime]) {
      const before = Buffer.from(file);
      readImageDimensions(file, mime);
      expect(file.equals(before)).toBe(true);
    }
  });

  it('reads a view into a larger buffer without looking outside it', () => {
    const backing = bytes(Buffer.alloc(16, 0xff), png(12, 34), Buffer.alloc(16, 0xff));
    const view = backing.subarray(16, backing.length - 16);
    expect(readImageDimensions(view, 'image/png')).toEqual(still(12, 34));
    expect(readImageDimensions(view.subarray(0, 28), 'image/png')).toBeUndefined();
  });
});

describe('readImageDimensions: random bytes never throw', () => {
  it.each(MIMES)('2 000 random buffers of random lengths read as %s', (mime) => {
    const random = seeded(0x5eed + MIMES.indexOf(mime));
    const { failures, milliseconds } = fuzz(
      mime,
      generate(2000, () => randomBytes(random, below(random, 1024))),
    );
    expect(failures).toEqual([]);
    expect(milliseconds).toBeLessThan(2000);
  });

  it.each(MIMES)('2 000 random buffers behind a valid %s signature', (mime) => {
    const random = seeded(0xbead + MIMES.indexOf(mime));
    const { failures, milliseconds } = fuzz(
      mime,
      generate(2000, () => bytes(MAGIC[mime], randomBytes(random, below(random, 512)))),
    );
    expect(failures).toEqual([]);
    expect(milliseconds).toBeLessThan(2000);
  });

  it.each(MIMES)('2 000 mutations and truncations of each valid %s fixture', (mime) => {
    const random = seeded(0xf00d + MIMES.indexOf(mime));
    for (const fixture of FIXTURES[mime]) {
      const { failures, milliseconds } = fuzz(
        mime,
        generate(2000, () => mutate(random, fixture)),
      );
      expect(failures).toEqual([]);
      expect(milliseconds).toBeLessThan(2000);
    }
  });

  it.each(MIMES)('every truncation of each valid %s fixture', (mime) => {
    for (const fixture of FIXTURES[mime]) {
      const { failures } = fuzz(
        mime,
        generate(fixture.length + 1, (length) => fixture.subarray(0, length)),
      );
      expect(failures).toEqual([]);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// declaredPixels
// ---------------------------------------------------------------------------------------------------------------

describe('declaredPixels', () => {
  it('multiplies width, height and frames', () => {
    expect(declaredPixels({ width: 16_000, height: 16_000, frames: 1 })).toBe(256_000_000);
    expect(declaredPixels({ width: 16_384, height: 16_384, frames: 3 })).toBe(805_306_368);
    expect(declaredPixels({ width: 1, height: 1, frames: 10_000 })).toBe(10_000);
  });

  it('stays exact up to Number.MAX_SAFE_INTEGER', () => {
    expect(declaredPixels({ width: 2 ** 26, height: 2 ** 26, frames: 1 })).toBe(2 ** 52);
    expect(declaredPixels({ width: Number.MAX_SAFE_INTEGER, height: 1, frames: 1 })).toBe(Number.MAX_SAFE_INTEGER);
    expect(declaredPixels({ width: 2 ** 26 - 1, height: 2 ** 26 + 1, frames: 1 })).toBe(2 ** 52 - 1);
  });

  it('caps at Number.MAX_SAFE_INTEGER rather than losing precision', () => {
    expect(declaredPixels({ width: 2 ** 31, height: 2 ** 31, frames: 1 })).toBe(Number.MAX_SAFE_INTEGER);
    expect(declaredPixels({ width: 2 ** 31, height: 2 ** 31, frames: 100_000 })).toBe(Number.MAX_SAFE_INTEGER);
    expect(declaredPixels({ width: 2 ** 24, height: 2 ** 24, frames: 2 ** 24 })).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('caps a product that is not a number', () => {
    expect(declaredPixels({ width: Number.NaN, height: 1, frames: 1 })).toBe(Number.MAX_SAFE_INTEGER);
    expect(declaredPixels({ width: Infinity, height: 1, frames: 1 })).toBe(Number.MAX_SAFE_INTEGER);
  });
});
