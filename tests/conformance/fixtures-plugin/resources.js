'use strict';

/** The conformance suite's resource fixtures: two static resources, one template and one subscribable resource. */
const { PNG_1X1_RED } = require('./media');

module.exports = [
  {
    name: 'static-text',
    uri: 'test://static-text',
    title: 'Static text',
    description: 'A static text resource.',
    mimeType: 'text/plain',
    read: (uri) => ({
      contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'This is the content of the static text resource.' }],
    }),
  },
  {
    name: 'static-binary',
    uri: 'test://static-binary',
    title: 'Static binary',
    description: 'A static binary resource (a 1x1 PNG).',
    mimeType: 'image/png',
    read: (uri) => ({ contents: [{ uri: uri.href, mimeType: 'image/png', blob: PNG_1X1_RED }] }),
  },
  {
    name: 'template-data',
    uriTemplate: 'test://template/{id}/data',
    title: 'Template data',
    description: 'Data for the id in the URI.',
    mimeType: 'application/json',
    read: (uri, { id }) => ({
      contents: [
        {
          uri: uri.href,
          mimeType: 'application/json',
          text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` }),
        },
      ],
    }),
  },
  {
    name: 'watched-resource',
    uri: 'test://watched-resource',
    title: 'Watched resource',
    description: 'A resource clients may subscribe to.',
    mimeType: 'text/plain',
    subscribable: true,
    read: (uri) => ({ contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'Watched resource content' }] }),
  },
];
