import { publicationOperation } from './publication';

/** publish_document: the current draft becomes the published version. */
export const publishDocumentOperation = publicationOperation('publish', ['publish']);
