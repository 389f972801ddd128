/**
 * The query every list contender serves: 10 articles of tenant org-1 (the bench identity's tenant), draft versions
 * (the Document Service's and the plugin's default status), no populate. The Document Service floor and the bare SDK
 * server run exactly this; the plugin, the built-in MCP and REST run their own pipelines for the same page.
 */
export const ARTICLE = 'api::article.article';
export const LIST_TENANT = 'org-1';
export const FLOOR_FIND_MANY = Object.freeze({ filters: { tenantId: LIST_TENANT }, limit: 10 });

export const findFloorArticles = (strapi) => strapi.documents(ARTICLE).findMany(FLOOR_FIND_MANY);

/** The document every get call reads: the newest article of tenant org-1 (a seeded one, with a full body). */
export const findSampleArticle = (strapi) =>
  strapi.documents(ARTICLE).findFirst({ filters: { tenantId: LIST_TENANT }, sort: 'id:desc' });
