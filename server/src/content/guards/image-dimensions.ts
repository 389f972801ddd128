/**
 * Reads the dimensions an image declares in its header, before any decoder sees it: a few kilobytes can declare
 * gigapixels (a 31 KB PNG of 16000×16000 held sharp for 27 s). Nothing here trusts the bytes: every read is bounds
 * checked, nothing allocates by a declared size, and every walk advances on each step, so the work is at most
 * linear in the buffer. Malformed, truncated or unknown input gives undefined, never an exception.
 */

export interface ImageDimensions {
  width: number;
  height: number;
  /** Frames a decoder that reads every frame would decode (animated GIF / WebP); 1 for still images. */
  frames: number;
}

const MAX_SIDE = 2 ** 31;

type Reader = (bytes: Buffer) => ImageDimensions | undefined;

const fits = (bytes: Buffer, at: number, length: number): boolean =>
  Number.isSafeInteger(at) && at >= 0 && at + length <= bytes.length;

const u8 = (bytes: Buffer, at: number) => (fits(bytes, at, 1) ? bytes[at] : undefined);
const u16le = (bytes: Buffer, at: number) => (fits(bytes, at, 2) ? bytes.readUInt16LE(at) : undefined);
const u16be = (bytes: Buffer, at: number) => (fits(bytes, at, 2) ? bytes.readUInt16BE(at) : undefined);
const u24le = (bytes: Buffer, at: number) => (fits(bytes, at, 3) ? bytes.readUIntLE(at, 3) : undefined);
const u32le = (bytes: Buffer, at: number) => (fits(bytes, at, 4) ? bytes.readUInt32LE(at) : undefined);
const u32be = (bytes: Buffer, at: number) => (fits(bytes, at, 4) ? bytes.readUInt32BE(at) : undefined);
const text = (bytes: Buffer, at: number, length: number) =>
  fits(bytes, at, length) ? bytes.toString('latin1', at, at + length) : undefined;
const holds = (bytes: Buffer, at: number, expected: string) => text(bytes, at, expected.length) === expected;

const isSide = (value: number | undefined): value is number =>
  value !== undefined && Number.isSafeInteger(value) && value >= 1 && value <= MAX_SIDE;

const dimensions = (width: number | undefined, height: number | undefined, frames = 1): ImageDimensions | undefined =>
  isSide(width) && isSide(height) && Number.isSafeInteger(frames) && frames >= 1
    ? { width, height, frames }
    : undefined;

/** PNG: the IHDR chunk must come first. APNG frames are ignored: sharp decodes the default image only. */
const readPng: Reader = (bytes) => {
  const ihdr = holds(bytes, 0, '\x89PNG\r\n\x1a\n') && u32be(bytes, 8) === 13 && holds(bytes, 12, 'IHDR');
  return ihdr && fits(bytes, 16, 13) ? dimensions(u32be(bytes, 16), u32be(bytes, 20)) : undefined;
};

const gifColorTableSize = (packed: number) => (packed & 0x80 ? 3 * 2 ** ((packed & 0x07) + 1) : 0);

/** Skips GIF data sub-blocks (length byte, then data) up to the zero terminator; undefined when truncated. */
const skipGifSubBlocks = (bytes: Buffer, from: number): number | undefined => {
  for (let at = from; ; ) {
    const size = u8(bytes, at);
    if (size === undefined) return undefined;
    at += 1 + size;
    if (size === 0) return at;
  }
};

/** An image descriptor's extent, and where its image data (after the LZW minimum code size) begins. */
const readGifFrame = (bytes: Buffer, at: number) => {
  const left = u16le(bytes, at + 1);
  const top = u16le(bytes, at + 3);
  const width = u16le(bytes, at + 5);
  const height = u16le(bytes, at + 7);
  const flags = u8(bytes, at + 9);
  if (left === undefined || top === undefined || width === undefined || height === undefined || flags === undefined) {
    return undefined;
  }
  return { right: left + width, bottom: top + height, data: at + 10 + gifColorTableSize(flags) + 1 };
};

/** GIF: every image descriptor is a frame, and a frame may reach past the logical screen. */
const readGif: Reader = (bytes) => {
  if (!holds(bytes, 0, 'GIF87a') && !holds(bytes, 0, 'GIF89a')) return undefined;
  const packed = u8(bytes, 10);
  let width = u16le(bytes, 6);
  let height = u16le(bytes, 8);
  if (packed === undefined || width === undefined || height === undefined) return undefined;
  let frames = 0;
  let at: number | undefined = 13 + gifColorTableSize(packed);
  while (at !== undefined) {
    const block = u8(bytes, at);
    const frame = block === 0x2c ? readGifFrame(bytes, at) : undefined;
    if (frame) {
      frames += 1;
      width = Math.max(width, frame.right);
      height = Math.max(height, frame.bottom);
      at = skipGifSubBlocks(bytes, frame.data);
    } else if (block === 0x21) {
      at = skipGifSubBlocks(bytes, at + 2);
    } else {
      break; // trailer (0x3B), end of data, a truncated descriptor or garbage: decoders stop here too
    }
  }
  return dimensions(width, height, Math.max(frames, 1));
};

const JPEG_SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);
const isJpegStandalone = (marker: number) => marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7);

/** JPEG: walks the segments to the first start-of-frame; data inside segments (an Exif thumbnail) is skipped. */
const readJpeg: Reader = (bytes) => {
  if (u8(bytes, 0) !== 0xff || u8(bytes, 1) !== 0xd8) return undefined;
  let at = 2;
  while (u8(bytes, at) === 0xff) {
    while (u8(bytes, at + 1) === 0xff) at += 1; // fill bytes
    const marker = u8(bytes, at + 1);
    if (marker === undefined || marker === 0xda || marker === 0xd9) return undefined; // SOS or EOI before any SOF
    if (JPEG_SOF.has(marker)) return dimensions(u16be(bytes, at + 7), u16be(bytes, at + 5));
    if (isJpegStandalone(marker)) {
      at += 2;
      continue;
    }
    const length = u16be(bytes, at + 2);
    if (length === undefined || length < 2) return undefined;
    at += 2 + length;
  }
  return undefined;
};

const webpChunkAt = (bytes: Buffer, at: number) => {
  const fourcc = text(bytes, at, 4);
  const size = u32le(bytes, at + 4);
  return fourcc === undefined || size === undefined ? undefined : { fourcc, payload: at + 8, size };
};
type Chunk = NonNullable<ReturnType<typeof webpChunkAt>>;

/** The offset after a chunk: RIFF pads odd payloads to an even length. */
const afterWebpChunk = (chunk: Chunk) => chunk.payload + chunk.size + (chunk.size % 2);

const countAnimationFrames = (bytes: Buffer, from: number): number => {
  let frames = 0;
  for (let chunk = webpChunkAt(bytes, from); chunk; chunk = webpChunkAt(bytes, afterWebpChunk(chunk))) {
    if (chunk.fourcc === 'ANMF') frames += 1;
  }
  return frames;
};

const readVp8 = (bytes: Buffer, { payload, size }: Chunk) => {
  if (size < 10 || !holds(bytes, payload + 3, '\x9d\x01\x2a')) return undefined; // the start code
  const width = u16le(bytes, payload + 6);
  const height = u16le(bytes, payload + 8);
  return width === undefined || height === undefined ? undefined : dimensions(width & 0x3fff, height & 0x3fff);
};

const readVp8l = (bytes: Buffer, { payload, size }: Chunk) => {
  const bits = u32le(bytes, payload + 1);
  if (size < 5 || u8(bytes, payload) !== 0x2f || bits === undefined) return undefined;
  return dimensions((bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
};

const readVp8x = (bytes: Buffer, chunk: Chunk) => {
  const width = u24le(bytes, chunk.payload + 4);
  const height = u24le(bytes, chunk.payload + 7);
  if (chunk.size < 10 || width === undefined || height === undefined) return undefined;
  // Counted whatever the animation flag says: a decoder that honours ANMF chunks must not get past the budget.
  return dimensions(width + 1, height + 1, Math.max(1, countAnimationFrames(bytes, afterWebpChunk(chunk))));
};

/** WebP: the first chunk says which bitstream follows; an extended (VP8X) file carries its canvas and frames. */
const readWebp: Reader = (bytes) => {
  const first = holds(bytes, 0, 'RIFF') && holds(bytes, 8, 'WEBP') ? webpChunkAt(bytes, 12) : undefined;
  if (first?.fourcc === 'VP8 ') return readVp8(bytes, first);
  if (first?.fourcc === 'VP8L') return readVp8l(bytes, first);
  if (first?.fourcc === 'VP8X') return readVp8x(bytes, first);
  return undefined;
};

/** An ISO BMFF box that lies wholly inside its parent (which ends at `parentEnd`), or undefined. */
const boxAt = (bytes: Buffer, at: number, parentEnd: number) => {
  const size32 = u32be(bytes, at);
  const type = text(bytes, at + 4, 4);
  if (size32 === undefined || type === undefined) return undefined;
  const high = size32 === 1 ? u32be(bytes, at + 8) : 0;
  const low = size32 === 1 ? u32be(bytes, at + 12) : size32;
  if (high === undefined || low === undefined) return undefined;
  const header = size32 === 1 ? 16 : 8;
  const size = size32 === 0 ? parentEnd - at : high * 2 ** 32 + low;
  return size >= header && at + size <= parentEnd ? { type, payload: at + header, end: at + size } : undefined;
};
type Box = NonNullable<ReturnType<typeof boxAt>>;

/** The boxes of a region in order, stopping at the first one that is too small or runs past the region. */
function* boxesIn(bytes: Buffer, from: number, end: number): Generator<Box> {
  for (let box = boxAt(bytes, from, end); box; box = box.end < end ? boxAt(bytes, box.end, end) : undefined) {
    yield box;
  }
}

/** The first child of `parent` of that type; a FullBox parent has 4 bytes of version and flags before its children. */
const findBox = (bytes: Buffer, parent: Box | undefined, type: string, parentIsFullBox = false): Box | undefined => {
  if (!parent) return undefined;
  const from = parent.payload + (parentIsFullBox ? 4 : 0);
  for (const box of boxesIn(bytes, from, parent.end)) if (box.type === type) return box;
  return undefined;
};

const hasAvifBrand = (bytes: Buffer, ftyp: Box) => {
  const isAvifBrand = (at: number) => holds(bytes, at, 'avif') || holds(bytes, at, 'avis');
  if (isAvifBrand(ftyp.payload)) return true; // the major brand; the minor version follows, then compatible brands
  for (let at = ftyp.payload + 8; at + 4 <= ftyp.end; at += 4) if (isAvifBrand(at)) return true;
  return false;
};

/**
 * AVIF: the `ispe` properties of meta/iprp/ipco. Grid tiles, thumbnails and alpha planes each have one; the largest
 * width and height bound them all. Image sequences ('avis') report 1 frame: their samples are not counted here.
 */
const readAvif: Reader = (bytes) => {
  const file: Box = { type: '', payload: 0, end: bytes.length };
  const ftyp = boxAt(bytes, 0, bytes.length);
  if (ftyp?.type !== 'ftyp' || !hasAvifBrand(bytes, ftyp)) return undefined;
  const ipco = findBox(bytes, findBox(bytes, findBox(bytes, file, 'meta'), 'iprp', true), 'ipco');
  let width = 0;
  let height = 0;
  for (const box of ipco ? boxesIn(bytes, ipco.payload, ipco.end) : []) {
    if (box.type !== 'ispe' || box.end < box.payload + 12) continue;
    width = Math.max(width, u32be(bytes, box.payload + 4) ?? 0); // after the FullBox version and flags
    height = Math.max(height, u32be(bytes, box.payload + 8) ?? 0);
  }
  return dimensions(width, height);
};

const READERS = new Map<string, Reader>([
  ['image/png', readPng],
  ['image/gif', readGif],
  ['image/jpeg', readJpeg],
  ['image/webp', readWebp],
  ['image/avif', readAvif],
]);

/** The dimensions the file declares, or undefined when its header cannot be read (truncated, malformed, unknown). */
export const readImageDimensions = (bytes: Buffer, mime: string): ImageDimensions | undefined =>
  READERS.get(mime)?.(bytes);

/** Pixels a decoder would produce: width × height × frames. */
export const declaredPixels = (dimensions: ImageDimensions): number => {
  const pixels = dimensions.width * dimensions.height * dimensions.frames;
  return pixels <= Number.MAX_SAFE_INTEGER ? pixels : Number.MAX_SAFE_INTEGER; // NaN lands here too
};
