/**
 * The default run: every contender side by side on one Strapi and one dataset, then the heap of idle sessions.
 */
import { IN_PROCESS, compareContenders, statelessContenders } from './contenders.mjs';
import { createCredentials } from './credentials.mjs';
import { startBareSdkServer } from './bare-sdk-server.mjs';
import { startDocumentServiceServer } from './document-service-server.mjs';
import { FLOOR_FIND_MANY, findSampleArticle } from './floor-query.mjs';
import { runRounds } from './rounds.mjs';
import { seedArticles } from './seed-articles.mjs';
import { canMeasureHeap, measureIdleSessionHeap } from './session-heap.mjs';

const IN_PROCESS_LABEL = 'documents().findMany in process (no HTTP)';

/**
 * Switches the plugin's `sessions.mode` for the 2025-11-25 contenders measured next (a settings change, applied at the
 * next request; it also empties the access cache, which the phase's first calls fill again).
 */
const createSessionsModeSwitch = (strapi) => {
  const settings = strapi.plugin('mcp-server').service('settings');
  return {
    set(mode) {
      if (settings.get().sessions.mode !== mode) settings.update({ sessions: { mode } });
    },
  };
};

export const runComparison = async ({ app, settings, link, log }) => {
  const { strapi } = app;
  const seeded = await seedArticles(strapi, settings.articles);
  log(
    `seeded ${seeded.added.toLocaleString('en-US')} articles (${seeded.rows.toLocaleString('en-US')} rows) in ${seeded.ms} ms`,
  );

  const floor = await startDocumentServiceServer(strapi);
  const bareSdk = await startBareSdkServer(strapi);
  try {
    const credentials = await createCredentials(strapi);
    const sample = await findSampleArticle(strapi);
    const endpoints = {
      baseUrl: app.baseUrl,
      floorUrl: floor.url,
      bareSdkUrl: bareSdk.url,
      secret: app.secret,
      documentId: sample.documentId,
      credentials,
    };
    const sessionContenders = compareContenders(endpoints);
    const stateless = statelessContenders(endpoints);
    const contenders = [...sessionContenders, ...stateless];
    log(`opening ${settings.concurrency} clients per endpoint`);
    const probes = await link.call('prepare', { contenders: sessionContenders, concurrency: settings.concurrency });
    // The stateless clients initialize while the plugin runs stateless: they hold no session id.
    const sessionsMode = createSessionsModeSwitch(strapi);
    sessionsMode.set('stateless');
    Object.assign(probes, await link.call('prepare', { contenders: stateless, concurrency: settings.concurrency }));
    sessionsMode.set('memory');
    const modes = new Map(contenders.map((contender) => [contender.id, contender.sessionsMode]));
    const measured = await runRounds({
      strapi,
      link,
      ids: [IN_PROCESS, ...contenders.map((contender) => contender.id)],
      settings,
      onProgress: log,
      beforeContender: (id) => {
        if (modes.get(id)) sessionsMode.set(modes.get(id));
      },
    });
    sessionsMode.set('memory');

    let heap;
    if (canMeasureHeap()) {
      const plugin = contenders.find((contender) => contender.id === 'plugin-find_documents-2025');
      log(`heap: ${settings.idleSessions} idle plugin sessions`);
      const pluginHeap = await measureIdleSessionHeap({
        link,
        url: plugin.url,
        headers: plugin.headers,
        count: settings.idleSessions,
      });
      log(`heap: ${settings.idleSessions} idle bare SDK sessions`);
      const bareHeap = await measureIdleSessionHeap({
        link,
        url: bareSdk.url,
        headers: {},
        count: settings.idleSessions,
      });
      heap = { plugin: pluginHeap, bareSdk: bareHeap };
    }

    const floorIds = probes['document-service-http'].listed;
    const results = Object.fromEntries(
      Object.entries(measured).map(([id, result]) => {
        const probe = probes[id] ?? {};
        const listed = probe.listed && {
          documents: probe.listed.length,
          sameDocumentsAsFloor:
            probe.listed.length === floorIds.length &&
            probe.listed.every((documentId) => floorIds.includes(documentId)),
        };
        return [id, { ...result, ...(probe.bytes === undefined ? {} : { bytes: probe.bytes }), ...listed }];
      }),
    );
    return {
      dataset: {
        articles: seeded.documents,
        seededRows: seeded.rows,
        seedMs: seeded.ms,
        documentId: sample.documentId,
      },
      queries: {
        floor: FLOOR_FIND_MANY,
        ...Object.fromEntries(
          contenders.map((contender) => [
            contender.id,
            contender.tool
              ? { tool: contender.tool, arguments: contender.args }
              : { url: contender.url.replace(app.baseUrl, '') },
          ]),
        ),
      },
      contenders: [{ id: IN_PROCESS, label: IN_PROCESS_LABEL }, ...contenders.map(({ id, label }) => ({ id, label }))],
      results,
      heap,
    };
  } finally {
    // The generator's sessions end (DELETE) while their servers still listen.
    await link.call('shutdown').catch(() => undefined);
    await floor.close();
    await bareSdk.close();
  }
};
