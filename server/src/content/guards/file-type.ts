import path from 'node:path';

/** File signatures: the type is read from the bytes, never taken from the caller's name or claim. */
const SIGNATURES: Array<{ mime: string; extensions: string[]; matches: (bytes: Buffer) => boolean }> = [
  {
    mime: 'image/png',
    extensions: ['png'],
    matches: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  },
  { mime: 'image/jpeg', extensions: ['jpg', 'jpeg'], matches: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  {
    mime: 'image/gif',
    extensions: ['gif'],
    matches: (b) => ['GIF87a', 'GIF89a'].includes(b.subarray(0, 6).toString('latin1')),
  },
  {
    mime: 'image/webp',
    extensions: ['webp'],
    matches: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
  },
  { mime: 'image/avif', extensions: ['avif'], matches: (b) => b.subarray(4, 12).toString('latin1') === 'ftypavif' },
  { mime: 'application/pdf', extensions: ['pdf'], matches: (b) => b.subarray(0, 5).toString('latin1') === '%PDF-' },
  {
    mime: 'image/svg+xml',
    extensions: ['svg'],
    matches: (b) => /^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<svg[\s>]/i.test(b.subarray(0, 1024).toString('utf8')),
  },
];

export const sniffMimeType = (bytes: Buffer) => SIGNATURES.find((signature) => signature.matches(bytes));

const MAX_STEM_CHARACTERS = 100;
const MAX_EXTENSION_CHARACTERS = 10;

/** A file name safe to store and serve: no path, no control or shell characters, bounded length. */
export const sanitizeFileName = (name: string): string => {
  const base = path.basename(name.toWellFormed().replace(/\\/g, '/')).normalize('NFKC');
  const cleaned = base
    .split('')
    .filter((character) => character.charCodeAt(0) > 0x1f && character.charCodeAt(0) !== 0x7f)
    .join('')
    .replace(/[^\p{L}\p{N}._ -]+/gu, '-')
    .replace(/^[.\s-]+/, '')
    .trim();
  const found = path.extname(cleaned).toLowerCase();
  // A long "extension" is no extension: it stays in the stem, which is cut on a character boundary.
  const extension = found.length <= MAX_EXTENSION_CHARACTERS + 1 ? found : '';
  const stem = Array.from(cleaned.slice(0, cleaned.length - extension.length))
    .slice(0, MAX_STEM_CHARACTERS)
    .join('');
  return `${stem || 'file'}${extension}`;
};

/** The name with the extension of its real type (a PNG named report.pdf becomes report.png). */
export const withExtensionOf = (name: string, extensions: string[]): string => {
  const extension = path.extname(name);
  if (extensions.includes(extension.slice(1).toLowerCase())) return name;
  return `${name.slice(0, name.length - extension.length)}.${extensions[0]}`;
};
