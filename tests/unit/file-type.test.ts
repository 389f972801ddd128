/** Uploads: the type comes from the bytes, the name is made safe and given the extension of the real type. */
import { describe, expect, it } from 'vitest';
import { sanitizeFileName, sniffMimeType, withExtensionOf } from '../../server/src/content/guards/file-type';

const bytes = (...parts: Array<string | number[]>) =>
  Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part))));
const PNG = bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], [0, 0, 0, 13], 'IHDR');
const PDF = bytes('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n');
const mime = (buffer: Buffer) => sniffMimeType(buffer)?.mime;
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

describe('sniffMimeType', () => {
  it.each([
    ['image/png', ['png'], PNG],
    ['image/jpeg', ['jpg', 'jpeg'], bytes([0xff, 0xd8, 0xff, 0xe0], 'JFIF')],
    ['image/gif', ['gif'], bytes('GIF87a', [1, 0, 1, 0])],
    ['image/gif', ['gif'], bytes('GIF89a', [1, 0, 1, 0])],
    ['image/webp', ['webp'], bytes('RIFF', [0x24, 0, 0, 0], 'WEBPVP8 ')],
    ['image/avif', ['avif'], bytes([0, 0, 0, 0x20], 'ftypavif', [0, 0, 0, 0])],
    ['application/pdf', ['pdf'], PDF],
  ])('reads %s from its signature', (type, extensions, buffer) => {
    expect(sniffMimeType(buffer)).toMatchObject({ mime: type, extensions });
  });

  it.each([
    ['an empty file', bytes()],
    ['a truncated PNG signature', PNG.subarray(0, 7)],
    ['a PNG signature with one byte changed', bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0b])],
    ['two bytes of JPEG', bytes([0xff, 0xd8])],
    ['GIF88a', bytes('GIF88a')],
    ['a RIFF WAVE file', bytes('RIFF', [0x24, 0, 0, 0], 'WAVEfmt ')],
    ['a HEIC file', bytes([0, 0, 0, 0x20], 'ftypheic')],
    ['%PDF without its dash', bytes('%PDF1.7')],
    ['a PDF signature after a space', bytes(' %PDF-1.7')],
    ['plain text', bytes('hello, world')],
    ['an HTML page', bytes('<!doctype html><html><script>alert(1)</script>')],
  ])('recognises nothing in %s', (_, buffer) => {
    expect(sniffMimeType(buffer)).toBeUndefined();
  });

  it('reads a PDF as a PDF whatever it is named', () => {
    const sniffed = sniffMimeType(PDF)!;
    expect(sniffed.mime).toBe('application/pdf');
    expect(withExtensionOf(sanitizeFileName('invoice.png'), sniffed.extensions)).toBe('invoice.pdf');
  });

  it.each([
    ['a bare svg element', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'],
    ['an XML prolog', '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<svg width="1">'],
    ['a prolog and comments', '<?xml version="1.0"?>\n<!-- Generator: x -->\n<!-- a\n b -->\n<svg\nviewBox="0 0 1 1">'],
    ['leading white space and upper case', '  \n\t<SVG>'],
    ['a byte-order mark', '\ufeff<svg>'],
  ])('recognises an SVG with %s', (_, text) => {
    expect(mime(Buffer.from(text, 'utf8'))).toBe('image/svg+xml');
  });

  it.each([
    ['an element only named like svg', '<svgfoo>'],
    ['svg inside HTML', '<html><body><svg></svg></body></html>'],
    ['svg past the first 1024 bytes', `${' '.repeat(1100)}<svg>`],
    ['an unterminated comment', '<!-- <svg>'],
  ])('does not take %s for an SVG', (_, text) => {
    expect(mime(Buffer.from(text, 'utf8'))).toBeUndefined();
  });

  it('reads the first matching signature of a polyglot', () => {
    expect(mime(bytes('GIF89a', '<svg>'))).toBe('image/gif');
  });
});

describe('sanitizeFileName: paths', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['/etc/passwd', 'passwd'],
    ['..\\..\\windows\\system32\\cmd.exe', 'cmd.exe'],
    ['C:\\x\\y.png', 'y.png'],
    ['uploads/../../app/.env', 'env'],
    ['a\uFF0F..\uFF0Fb.png', 'a-..-b.png'],
  ])('keeps only the base name of %j', (name, expected) => {
    expect(sanitizeFileName(name)).toBe(expected);
  });

  it.each(['', '.', '..', '...', '/', '\\', '  ', '-', '\u0000', '\uFF0E\uFF0E'])(
    'falls back to "file" for %j',
    (name) => {
      expect(sanitizeFileName(name)).toBe('file');
    },
  );

  it.each([
    ['.htaccess', 'htaccess'],
    ['..hidden.png', 'hidden.png'],
    ['-rf.png', 'rf.png'],
    ['--help', 'help'],
    ['  a.png  ', 'a.png'],
    ['\uFF0Ehtaccess', 'htaccess'],
    ['\u0000.htaccess', 'htaccess'],
  ])('strips leading dots, dashes and spaces: %j', (name, expected) => {
    expect(sanitizeFileName(name)).toBe(expected);
  });
});

describe('sanitizeFileName: characters', () => {
  it('drops control characters', () => {
    expect(sanitizeFileName('a\u0000b\nc\rd\u001be\u007f.png')).toBe('abcde.png');
  });

  it('replaces shell and markup characters', () => {
    const name = sanitizeFileName('report; rm -rf ~ | cat `id` $(whoami) & <x> "q" \'s\' *?{}[]!#%^=+,:.png');
    expect(name).toMatch(/^report- rm -rf .*\.png$/);
    expect(name).not.toMatch(/[;|&$`<>"'*?(){}[\]~!#%^=+,:/\\]/);
  });

  it.each([
    ['a C1 control character', 'a\u0085b.png', 'a-b.png'],
    ['a right-to-left override hiding the extension', 'invoice\u202Egnp.exe', 'invoice-gnp.exe'],
    ['a zero-width space', 'a\u200Bb.png', 'a-b.png'],
  ])('replaces %s', (_, name, expected) => {
    expect(sanitizeFileName(name)).toBe(expected);
  });

  it.each([
    ['fullwidth letters', '\uFF52\uFF45\uFF50\uFF4F\uFF52\uFF54.\uFF50\uFF44\uFF46', 'report.pdf'],
    ['a ligature', '\uFB01le.png', 'file.png'],
    ['a two-dot leader', '\u2025png', 'png'],
  ])('normalises %s (NFKC)', (_, name, expected) => {
    expect(sanitizeFileName(name)).toBe(expected);
  });

  it('keeps letters and digits of any script, and inner spaces', () => {
    expect(sanitizeFileName('résumé 2024.pdf')).toBe('résumé 2024.pdf');
    expect(sanitizeFileName('\u62A5\u544A_v2-final.pdf')).toBe('\u62A5\u544A_v2-final.pdf');
  });

  it('lower-cases the extension only', () => {
    expect(sanitizeFileName('Photo.PNG')).toBe('Photo.png');
  });
});

describe('sanitizeFileName: length', () => {
  it('keeps a 100-character stem and cuts a longer one to 100', () => {
    expect(sanitizeFileName(`${'a'.repeat(100)}.png`)).toBe(`${'a'.repeat(100)}.png`);
    expect(sanitizeFileName(`${'a'.repeat(101)}.png`)).toBe(`${'a'.repeat(100)}.png`);
    expect(sanitizeFileName('a'.repeat(10_000))).toBe('a'.repeat(100));
  });

  it('bounds the whole name, a long extension included', () => {
    expect(sanitizeFileName(`a.${'b'.repeat(10_000)}`).length).toBeLessThanOrEqual(255);
  });

  it('never cuts a letter outside the BMP in half', () => {
    expect(sanitizeFileName(`${'a'.repeat(99)}\u{20000}.png`)).not.toMatch(loneSurrogate);
  });
});

describe('withExtensionOf', () => {
  it.each([
    ['photo.png', ['png'], 'photo.png'],
    ['photo.PNG', ['png'], 'photo.PNG'],
    ['photo.jpeg', ['jpg', 'jpeg'], 'photo.jpeg'],
    ['photo.JPG', ['jpg', 'jpeg'], 'photo.JPG'],
  ])('keeps the matching extension of %s', (name, extensions, expected) => {
    expect(withExtensionOf(name, extensions)).toBe(expected);
  });

  it.each([
    ['report.pdf', ['png'], 'report.png'],
    ['evil.svg', ['png'], 'evil.png'],
    ['page.html', ['jpg', 'jpeg'], 'page.jpg'],
    ['archive.tar.gz', ['pdf'], 'archive.tar.pdf'],
    ['report', ['pdf'], 'report.pdf'],
    ['image.png.exe', ['png'], 'image.png.png'],
  ])('gives %s the extension of its real type', (name, extensions, expected) => {
    expect(withExtensionOf(name, extensions)).toBe(expected);
  });

  it('replaces a long wrong extension left by sanitizeFileName', () => {
    expect(withExtensionOf(sanitizeFileName(`a.${'b'.repeat(10_000)}`), ['png'])).toBe('a.png');
  });
});
