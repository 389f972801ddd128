export default [
  'strapi::logger',
  'strapi::errors',
  'strapi::security',
  'strapi::cors',
  'strapi::poweredBy',
  'strapi::query',
  // upload_media sends files as base64 JSON: room for media.maxBytes (5 MB) once encoded.
  { name: 'strapi::body', config: { jsonLimit: '8mb' } },
  'strapi::session',
  'strapi::favicon',
  'strapi::public',
];
