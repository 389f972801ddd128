/** The image header reader on PNG and GIF: dimensions, frames, and the malformed files an attacker sends. */
import { describe, expect, it } from 'vitest';
import { declaredPixels, readImageDimensions } from '../../server/src/content/guards/image-dimensions';
import {
  bytes,
  repeat,
  u16le,
  u32be,
  read,
  still,
  PNG_SIGNATURE,
  pngChunk,
  ihdr,
  png,
  gifScreen,
  gifFrame,
  gifExtension,
  GRAPHIC_CONTROL,
  NETSCAPE_LOOP,
  GIF_TRAILER,
  gif,
  REAL_PNG_1X1,
  REAL_GIF_1X1,
  REAL_GIF_ANIMATED_16X16X3,
  timed,
} from '../helpers/image-fixtures';

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
