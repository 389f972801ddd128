import type { Core } from '@strapi/strapi';

const ARTICLE = 'api::article.article';
const CATEGORY = 'api::category.category';
const HOMEPAGE = 'api::homepage.homepage';

export const SEEDED_CATEGORIES = [
  { name: 'Product', slug: 'product', description: 'Releases, features and roadmaps' },
  { name: 'Engineering', slug: 'engineering', description: 'How things are built' },
  { name: 'Company', slug: 'company', description: 'People, hiring and events' },
  { name: 'Guides', slug: 'guides', description: 'Step-by-step help' },
];

const KINDS = ['news', 'blog', 'guide', 'press'] as const;
const TOPICS = [
  'Launching the new editor',
  'Scaling search to a million documents',
  'Our approach to accessibility',
  'Quarterly results',
  'A tour of the content model',
  'Hiring for the platform team',
  'Migrating to PostgreSQL',
  'Writing for the web',
  'Release notes',
  'Security review findings',
];

export const ARTICLE_COUNT = 40;
/** Articles 7, 8, 17 and 18 are locked: two in each tenant, one per author there. */
const LOCKED = new Set([7, 8, 17, 18]);

const paragraph = (text: string) => [{ type: 'paragraph', children: [{ type: 'text', text }] }];

/**
 * Article n (1..40): tenant org-1 when n is odd, org-2 when even; author1 for n ≡ 1, 2 (mod 4), author2 otherwise,
 * so each tenant has both authors; every third article stays a draft; a few are locked, some featured.
 */
export const describeSeedArticle = (n: number) => {
  const topic = TOPICS[(n - 1) % TOPICS.length];
  return {
    title: `${topic} #${n}`,
    slug: `${topic.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${n}`,
    body: paragraph(`${topic}. This is article ${n} of the playground, used to demonstrate the MCP server.`),
    kind: KINDS[(n - 1) % KINDS.length],
    featured: n % 5 === 0,
    locked: LOCKED.has(n),
    reviewNotes: `Review ${n}: tighten the introduction before the next release.`,
    internalNotes: `Internal ${n}: confidential margin note, never for agents.`,
    tenantId: n % 2 === 1 ? 'org-1' : 'org-2',
    author: (n - 1) % 4 < 2 ? 'author1@example.com' : 'author2@example.com',
    published: n % 3 !== 0,
    seo: { metaTitle: topic, metaDescription: `Article ${n} about ${topic.toLowerCase()}.` },
  };
};

export const seedContent = async (strapi: Core.Strapi, userIds: Record<string, number>) => {
  const categories = strapi.documents(CATEGORY);
  const categoryIds: string[] = [];
  for (const category of SEEDED_CATEGORIES) {
    const existing = await categories.findFirst({ filters: { slug: category.slug } });
    const created = existing ?? (await categories.create({ data: category }));
    categoryIds.push(created.documentId);
  }

  const articles = strapi.documents(ARTICLE);
  if ((await articles.count({})) === 0) {
    for (let n = 1; n <= ARTICLE_COUNT; n += 1) {
      const { author, published, ...data } = describeSeedArticle(n);
      const authorId = userIds[author];
      await articles.create({
        data: {
          ...data,
          category: categoryIds[(n - 1) % categoryIds.length],
          createdBy: authorId,
          updatedBy: authorId,
        },
        status: published ? 'published' : 'draft',
      } as never);
    }
  }

  const locales = strapi.plugin('i18n').service('locales');
  if (!(await locales.findByCode('fr'))) await locales.create({ code: 'fr', name: 'French (fr)' });

  const homepage = strapi.documents(HOMEPAGE);
  if (!(await homepage.findFirst({ locale: 'en' }))) {
    const adminId = userIds['admin@example.com'];
    const en = await homepage.create({
      locale: 'en',
      status: 'published',
      data: {
        title: 'Welcome to the playground',
        intro: 'News, guides and stories.',
        heroCta: 'Read the latest',
        createdBy: adminId,
        updatedBy: adminId,
      },
    } as never);
    await homepage.update({
      documentId: en.documentId,
      locale: 'fr',
      status: 'published',
      data: {
        title: 'Bienvenue sur le playground',
        intro: 'Actualités, guides et histoires.',
        heroCta: 'Lire les nouveautés',
        createdBy: adminId,
        updatedBy: adminId,
      },
    } as never);
  }
};
