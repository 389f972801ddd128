import { errors } from '@strapi/utils';
import { echo, McpToolError } from '../errors';

/**
 * Strapi's relation errors name rows the caller may not see: "Document with id "…", locale "…" not found",
 * "There was a problem connecting relation with id 1 at position {"before":6} …", "1 relation(s) of type … do not
 * exist", "Invalid relations". Never forwarded, whatever their wording.
 */
const RELATION_ERROR = /relation|document with id|position|connect/i;

const relationRefused = () =>
  new McpToolError(
    'Strapi refused a relation of this write: a linked document does not exist in that locale or version, or a position names a document that is not linked',
    undefined,
    'failed',
  );

/** Strapi's field validation messages are meant for users ("title must be at most 200 characters"); forwarded clipped. */
export const translateStrapiErrors = async <T>(run: () => Promise<T>): Promise<T> => {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof errors.ApplicationError) && !(error instanceof errors.NotFoundError)) throw error;
    const details = (error.details as { errors?: Array<{ path?: string[]; message?: string }> } | undefined)?.errors;
    const messages = [error.message, ...(details ?? []).map((item) => item.message ?? '')];
    if (messages.some((message) => RELATION_ERROR.test(message))) throw relationRefused();
    if (error instanceof errors.ValidationError) {
      const problems = (details ?? [])
        .filter((item) => item.path && item.path.length > 0)
        .map((item) => `${echo(item.path!.join('.'))}: ${echo(item.message ?? 'invalid', 200)}`);
      throw new McpToolError(
        `Strapi refused the data: ${problems.length > 0 ? problems.join('; ') : echo(error.message, 200)}`,
        undefined,
        'failed',
      );
    }
    throw new McpToolError(`Strapi refused the operation: ${echo(error.message, 200)}`, undefined, 'failed');
  }
};
