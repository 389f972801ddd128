import type { McpToolContext } from '../../extension/definitions';
import { type ContentOperation, createContentCall, type Doc } from './content-call';
import { CONTENT_RULES } from './rules';

/**
 * Runs one content tool call through every rule of the pipeline, in order, and returns its shaped output. A new
 * content tool is a declaration (`ContentOperation`) plus its `execute` and `shape`; the rules are not its business.
 */
export const runContentCall = async <Args, Result>(
  spec: ContentOperation<Args, Result>,
  args: Args,
  context: Pick<McpToolContext, 'strapi' | 'policy' | 'audit'>,
): Promise<Doc> => {
  const call = createContentCall(spec as ContentOperation<Args, unknown>, args, context);
  for (const rule of CONTENT_RULES) await rule.run(call as never);
  return call.output!;
};
