import { McpToolError, PolicyRefusal } from '../../errors';
import type { CommonArgs, ContentCall } from '../pipeline/content-call';
import { sanitizeFileName, sniffMimeType, withExtensionOf } from './file-type';
import { declaredPixels, readImageDimensions } from './image-dimensions';

export interface CheckedFile {
  bytes: Buffer;
  name: string;
  mime: string;
  width?: number;
  height?: number;
}

/** Image types whose pixels Strapi decodes (sharp) to make thumbnails and responsive formats. */
const DECODED_IMAGES = new Set(['image/png', 'image/gif', 'image/jpeg', 'image/webp', 'image/avif']);

const decodeBase64 = (value: string): Buffer => {
  const compact = value.replace(/^data:[^;,]+;base64,/, '').replace(/\s+/g, '');
  if (compact.length === 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) {
    throw new McpToolError('base64 is not valid base64');
  }
  return Buffer.from(compact, 'base64');
};

/**
 * An upload as the bytes say it is: within the size limit, of an allowed type read from its signature, named with a
 * safe name and the extension of that type, and, for images, declaring no more pixels than `media.maxPixels` (a
 * small file may declare a huge image, which Strapi's image processing would then decode frame by frame).
 */
export const checkFile = async (
  call: ContentCall<CommonArgs & { filename?: string; base64?: string }>,
): Promise<CheckedFile> => {
  const { maxBytes, allowedMimeTypes, maxPixels } = call.config.media;
  const base64 = String(call.args.base64 ?? '');
  // Reject before decoding when the text alone proves the file is too big.
  if (Math.floor((base64.length * 3) / 4) > maxBytes + 3) {
    throw new McpToolError(`the file exceeds the ${maxBytes}-byte limit`);
  }
  const bytes = decodeBase64(base64);
  if (bytes.length > maxBytes) throw new McpToolError(`the file exceeds the ${maxBytes}-byte limit`);
  const sniffed = sniffMimeType(bytes);
  if (!sniffed || !allowedMimeTypes.includes(sniffed.mime)) {
    throw new PolicyRefusal(
      `this file type is not allowed${sniffed ? ` (${sniffed.mime})` : ''}; allowed: ${allowedMimeTypes.join(', ')}`,
    );
  }
  const file: CheckedFile = {
    bytes,
    name: withExtensionOf(sanitizeFileName(String(call.args.filename ?? 'file')), sniffed.extensions),
    mime: sniffed.mime,
  };
  if (DECODED_IMAGES.has(sniffed.mime)) {
    const dimensions = readImageDimensions(bytes, sniffed.mime);
    if (!dimensions) throw new McpToolError(`the ${sniffed.mime} header cannot be read: the image is damaged`);
    const pixels = declaredPixels(dimensions);
    if (pixels > maxPixels) {
      throw new PolicyRefusal(
        `the image declares ${dimensions.width}×${dimensions.height} pixels${dimensions.frames > 1 ? ` in ${dimensions.frames} frames` : ''}, more than the ${maxPixels}-pixel limit`,
      );
    }
    Object.assign(file, { width: dimensions.width, height: dimensions.height });
  }
  return file;
};
