/** The plugin's built-in tools, as tools/list should name them. */
export const READ_TOOLS = [
  'whoami',
  'list_content_types',
  'describe_content_type',
  'find_documents',
  'count_documents',
  'search_documents',
  'get_document',
  'list_media',
];

export const MUTATION_TOOLS = [
  'create_document',
  'update_document',
  'delete_document',
  'publish_document',
  'unpublish_document',
  'discard_draft',
  'upload_media',
];

/** What the playground's Author role may use: reads, create, update (own) and uploads. */
export const AUTHOR_TOOLS = [...READ_TOOLS, 'create_document', 'update_document', 'upload_media'];
