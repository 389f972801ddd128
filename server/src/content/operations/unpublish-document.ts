import { publicationOperation } from './publication';

/** unpublish_document: the document goes offline, its draft stays; taking it offline is a change (update conditions). */
export const unpublishDocumentOperation = publicationOperation('unpublish', ['publish', 'update']);
