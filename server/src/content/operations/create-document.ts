import { setCreatorFields } from '@strapi/utils';
import type { TypePolicy } from '../../services/policy';
import { shapeDocument } from '../guards/output';
import { type CommonArgs, type ContentCall, type ContentOperation, type Doc, typeOf } from '../pipeline/content-call';
import { defaultPopulate } from '../stored-document';
import { asReferences, droppedFields, shapeTarget, validateWithoutWriting } from './write-preview';

type CreateArgs = CommonArgs & { data: unknown };

const publishes = (args: CreateArgs, type: TypePolicy) => args.status === 'published' && type.hasDraftAndPublish;

/** The data as written: created and last updated by the caller's admin user. */
const stamped = (call: ContentCall<CreateArgs>): Doc =>
  setCreatorFields({ user: call.policy.caller.adminUser })(call.input!.data) as Doc;

/** create_document: a new document as the caller, in its tenant; `status: 'published'` also publishes it. */
export const createDocumentOperation: ContentOperation<CreateArgs, Doc> = {
  action: 'create',
  operation: 'create',
  alsoRequires: (args, type) => (publishes(args, type) ? ['publish'] : []),
  target: 'new',
  input: { data: 'create' },
  runs: 'write',
  preview: async (call) => {
    const type = typeOf(call);
    await validateWithoutWriting(call, stamped(call), { publish: publishes(call.args, type) });
    const view = await call.view();
    const data = asReferences(type, call.input!.data);
    return {
      dryRun: true,
      wouldStore: view.typeOf(type.uid) ? shapeDocument(view, type.uid, data) : data,
      ...droppedFields(call),
    };
  },
  execute: async (call) => {
    const type = typeOf(call);
    const { locale, joinDocumentId } = call;
    const publish = publishes(call.args, type);
    const populate = await defaultPopulate(call);
    const documents = call.strapi.documents(type.uid as never);
    let document: Doc;
    if (joinDocumentId) {
      // A new locale of a single type joins its document.
      document = (await documents.update({
        documentId: joinDocumentId,
        locale,
        data: stamped(call),
        populate,
      } as never)) as Doc;
      if (publish) {
        await documents.publish({ documentId: joinDocumentId, locale } as never);
        document = (await documents.findOne({
          documentId: joinDocumentId,
          locale,
          status: 'published',
          populate,
        } as never)) as Doc;
      }
    } else {
      document = (await documents.create({
        data: stamped(call),
        locale,
        status: publish ? 'published' : 'draft',
        populate,
      } as never)) as Doc;
    }
    call.audit.note({ documentId: document.documentId as string });
    return document;
  },
  shape: async (call, document) => ({ data: await shapeTarget(call, document), ...droppedFields(call) }),
};
