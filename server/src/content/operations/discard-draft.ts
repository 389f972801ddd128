import { publicationOperation } from './publication';

/** discard_draft: the draft goes back to the published version, which rewrites it (update conditions). */
export const discardDraftOperation = publicationOperation('discard', ['publish', 'update']);
