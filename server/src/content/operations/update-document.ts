import { setCreatorFields } from '@strapi/utils';
import type { TypePolicy } from '../../services/policy';
import { type CommonArgs, type ContentCall, type ContentOperation, type Doc, typeOf } from '../pipeline/content-call';
import { asReferences, diffFields, droppedFields, shapeTarget, validateWithoutWriting } from './write-preview';

type UpdateArgs = CommonArgs & { data: unknown };

const publishes = (args: UpdateArgs, type: TypePolicy) => args.status === 'published' && type.hasDraftAndPublish;

/** The change as written: last updated by the caller's admin user. */
const stamped = (call: ContentCall<UpdateArgs>): Doc =>
  setCreatorFields({ user: call.policy.caller.adminUser, isEdition: true })(call.input!.data) as Doc;

/** The field-level diff against the stored document as the caller may read it; noted on the audit row. */
const diffOf = async (call: ContentCall<UpdateArgs>) => {
  const before = await shapeTarget(call);
  const diff = diffFields(before, call.input!.data);
  call.audit.note({ diff });
  return { before, diff };
};

/** update_document: changes the draft of a document in scope; `status: 'published'` also publishes the result. */
export const updateDocumentOperation: ContentOperation<UpdateArgs, { document: Doc; diff: Doc }> = {
  action: 'update',
  operation: 'update',
  alsoRequires: (args, type) => (publishes(args, type) ? ['publish'] : []),
  target: 'stored',
  input: { data: 'update' },
  runs: 'write',
  preview: async (call) => {
    const type = typeOf(call);
    const { before, diff } = await diffOf(call);
    await validateWithoutWriting(call, stamped(call), { publish: publishes(call.args, type) });
    return {
      dryRun: true,
      documentId: call.documentId,
      diff,
      wouldStore: { ...before, ...asReferences(type, call.input!.data) },
      ...droppedFields(call),
    };
  },
  execute: async (call) => {
    const type = typeOf(call);
    const { diff } = await diffOf(call);
    const { documentId, locale, targetPopulate: populate } = call;
    const documents = call.strapi.documents(type.uid as never);
    let document = (await documents.update({ documentId, locale, data: stamped(call), populate } as never)) as Doc;
    if (publishes(call.args, type)) {
      await documents.publish({ documentId, locale } as never);
      document = (await documents.findOne({ documentId, locale, status: 'published', populate } as never)) as Doc;
    }
    return { document, diff };
  },
  shape: async (call, { document, diff }) => ({
    diff,
    data: await shapeTarget(call, document),
    ...droppedFields(call),
  }),
};
