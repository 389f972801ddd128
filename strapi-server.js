'use strict';

// Strapi resolves the plugin through package.json "exports"; this file serves loaders that do not.
module.exports = require('./dist/server');
