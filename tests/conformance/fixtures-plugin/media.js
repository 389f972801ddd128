'use strict';

/** Tiny media samples for the fixtures: a 1x1 red PNG and a 10 ms silent 8 kHz mono WAV, both base64. */

const PNG_1X1_RED = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';

const silentWav = (sampleRate = 8000, samples = 80) => {
  const data = samples; // 8-bit mono: one byte per sample
  const wav = Buffer.alloc(44 + data);
  wav.write('RIFF', 0);
  wav.writeUInt32LE(36 + data, 4);
  wav.write('WAVE', 8);
  wav.write('fmt ', 12);
  wav.writeUInt32LE(16, 16); // fmt chunk size
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // channels
  wav.writeUInt32LE(sampleRate, 24);
  wav.writeUInt32LE(sampleRate, 28); // byte rate
  wav.writeUInt16LE(1, 32); // block align
  wav.writeUInt16LE(8, 34); // bits per sample
  wav.write('data', 36);
  wav.writeUInt32LE(data, 40);
  wav.fill(128, 44); // 8-bit PCM silence
  return wav.toString('base64');
};

module.exports = { PNG_1X1_RED, WAV_SILENCE: silentWav() };
