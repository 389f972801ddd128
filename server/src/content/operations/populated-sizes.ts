import { McpToolError } from '../../errors';
import type { PopulatePlan } from '../guards/populate';
import { type CommonArgs, type ContentCall, type Doc, typeOf } from '../pipeline/content-call';

/**
 * A to-many relation populated on request shows every entry it links: before the documents load, each such relation
 * is counted (with the same scope and filters), and one over `limits.maxPopulatedEntries` is refused, naming the
 * document, instead of loading thousands of documents per document.
 */
export const refuseOversizedPopulates = async (
  call: ContentCall<CommonArgs>,
  plan: PopulatePlan | undefined,
  params: Doc,
  one: boolean,
) => {
  if (!plan || plan.toMany.length === 0) return;
  const populate = Object.fromEntries(
    plan.toMany.map((name) => [name, { count: true, filters: (plan.spec[name] as Doc).filters }]),
  );
  const documents = call.strapi.documents(typeOf(call).uid as never);
  const query = { ...params, fields: ['documentId'], populate };
  const found = (
    one ? [await documents.findOne(query as never)] : await documents.findMany(query as never)
  ) as Array<Doc | null>;
  const max = call.config.limits.maxPopulatedEntries;
  for (const document of found) {
    for (const name of plan.toMany) {
      const count = (document?.[name] as { count?: number } | undefined)?.count ?? 0;
      if (count > max) {
        throw new McpToolError(
          `populate.${name}: document ${document!.documentId} links ${count} entries, more than the ${max} a populate may show; list them with find_documents instead`,
        );
      }
    }
  }
};
