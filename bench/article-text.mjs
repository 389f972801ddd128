/**
 * Deterministic article text for the seeded dataset: titles and `blocks` bodies made of real words, so that search
 * has something to find. SEARCH_WORD occurs in the title of one article in 25 and in the body of one in 15 (both
 * tenants); the same n always gives the same text, so every size of the growth run holds the same mix.
 */
export const SEARCH_WORD = 'kestrel';

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
  'Field notes from the support desk',
  'Designing the onboarding flow',
];

const WORDS = (
  'the a of to and in for on with from by about editor team content model release search index page draft ' +
  'publish review reader author story image layout design feature update change note guide launch customer ' +
  'support market report quarter growth plan roadmap product platform service data query speed cache tenant ' +
  'policy access field value language locale summary headline section paragraph link archive season river ' +
  'mountain harbour garden winter autumn morning evening city village bridge signal lantern meadow compass'
).split(' ');

const isTitleMatch = (n) => n % 25 === 7;
const isBodyMatch = (n) => n % 15 === 4;

/** mulberry32: a small seeded generator, so the text depends on n only. */
const randomFor = (seed) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

const sentence = (random, length) => {
  const words = Array.from({ length }, () => WORDS[Math.floor(random() * WORDS.length)]);
  return `${words[0][0].toUpperCase()}${words[0].slice(1)} ${words.slice(1).join(' ')}.`;
};

const paragraph = (text) => ({ type: 'paragraph', children: [{ type: 'text', text }] });

export const titleFor = (n) => {
  const topic = TOPICS[(n - 1) % TOPICS.length];
  return isTitleMatch(n) ? `${topic}: the ${SEARCH_WORD} edition #${n}` : `${topic} #${n}`;
};

/** Two or three paragraphs of 20 to 40 words; SEARCH_WORD inside the second one for the body matches. */
export const bodyFor = (n) => {
  const random = randomFor(n);
  const count = 2 + Math.floor(random() * 2);
  const texts = Array.from({ length: count }, () => sentence(random, 20 + Math.floor(random() * 21)));
  if (isBodyMatch(n)) texts[1] = `${texts[1]} A ${SEARCH_WORD} was seen above the ${WORDS[n % WORDS.length]}.`;
  return texts.map(paragraph);
};

export const topicFor = (n) => TOPICS[(n - 1) % TOPICS.length];
