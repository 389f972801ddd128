/** The image header reader on JPEG and WebP: segments, chunks, animation, and malformed files. */
import { describe, expect, it } from 'vitest';
import { declaredPixels, readImageDimensions } from '../../server/src/content/guards/image-dimensions';
import {
  bytes,
  repeat,
  u16le,
  u16be,
  u32le,
  read,
  still,
  PNG_SIGNATURE,
  SOI,
  EOI,
  segment,
  sof,
  APP0_JFIF,
  DQT,
  SOS,
  jpeg,
  riffChunk,
  webp,
  VP8_FRAME_TAG,
  VP8_START_CODE,
  vp8,
  vp8l,
  ANIMATION_FLAG,
  vp8x,
  ANIM,
  anmf,
  REAL_JPEG_3X5,
  REAL_WEBP_LOSSLESS_37X23,
  REAL_WEBP_ANIMATED_16X16X3,
  timed,
} from '../helpers/image-fixtures';

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
