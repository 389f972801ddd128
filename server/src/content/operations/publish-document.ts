import { publicationOperation } from './publication';

/**
 * publish_document: the current draft becomes the published version. That changes the live document, so the stored
 * update conditions apply too (a locked article is published by those who may change it).
 */
export const publishDocumentOperation = publicationOperation('publish', ['publish', 'update']);
