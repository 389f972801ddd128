/** The image header reader on AVIF, on any format, on random bytes, and the pixel count it reports. */
import { describe, expect, it } from 'vitest';
import { declaredPixels, readImageDimensions } from '../../server/src/content/guards/image-dimensions';
import {
  bytes,
  repeat,
  u32be,
  u64be,
  read,
  still,
  png,
  box,
  fullBox,
  largeBox,
  ftyp,
  AVIF_FTYP,
  ispe,
  HDLR,
  PIXI,
  IPMA,
  iprp,
  meta,
  MDAT,
  avif,
  REAL_PNG_1X1,
  REAL_AVIF_37X23,
  seeded,
  below,
  randomBytes,
  mutate,
  fuzz,
  timed,
  MIMES,
  MAGIC,
  FIXTURES,
  generate,
} from '../helpers/image-fixtures';

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
