/**
 * The printed report: markdown tables of the comparison (with the ratios and issue 10's targets) and of the growth
 * run. Only figures measured in this run appear; a missing one prints as "—".
 */
const DASH = '—';

const table = (header, rows) => {
  const cells = [header, ...rows].map((row) =>
    row.map((cell) => (cell === null || cell === undefined ? DASH : String(cell))),
  );
  const widths = header.map((_, column) => Math.max(3, ...cells.map((row) => row[column].length)));
  const line = (row) => `| ${row.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  return [
    line(cells[0]),
    `| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`,
    ...cells.slice(1).map(line),
  ].join('\n');
};

const number = (value, digits = 1) =>
  value === null || value === undefined || Number.isNaN(value)
    ? null
    : value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

const times = (value) =>
  value === null || value === undefined || !Number.isFinite(value) ? null : `${number(value, 2)}×`;

const ratio = (a, b) => (typeof a === 'number' && typeof b === 'number' && b !== 0 ? a / b : null);

/** Each ratio the issue asks for: plugin ÷ SDK floor, ÷ built-in, ÷ REST, for p50 and calls/s. */
export const compareRatios = (results) => {
  const pairs = [
    ['plugin-find_documents-2025', 'bare-sdk', 'find_documents (2025-11-25) ÷ bare SDK'],
    ['plugin-find_documents-2026', 'bare-sdk', 'find_documents (2026-07-28) ÷ bare SDK'],
    ['plugin-find_documents-2025', 'built-in-list', 'find_documents (2025-11-25) ÷ built-in list_article'],
    ['plugin-find_documents-2026', 'built-in-list', 'find_documents (2026-07-28) ÷ built-in list_article'],
    ['plugin-get_document-2025', 'built-in-get', 'get_document (2025-11-25) ÷ built-in get_article'],
    ['plugin-get_document-2026', 'built-in-get', 'get_document (2026-07-28) ÷ built-in get_article'],
    ['plugin-find_documents-2025', 'rest-list', 'find_documents (2025-11-25) ÷ REST'],
    ['plugin-find_documents-2026', 'rest-list', 'find_documents (2026-07-28) ÷ REST'],
    [
      'plugin-find_documents-2025-stateless',
      'plugin-find_documents-2025',
      'find_documents 2025-11-25: stateless ÷ session',
    ],
    ['plugin-get_document-2025-stateless', 'plugin-get_document-2025', 'get_document 2025-11-25: stateless ÷ session'],
    ['plugin-whoami-2025-stateless', 'plugin-whoami-2025', 'whoami 2025-11-25: stateless ÷ session'],
  ];
  return pairs
    .filter(([plugin, other]) => results[plugin] && results[other])
    .map(([plugin, other, label]) => ({
      label,
      plugin,
      other,
      p50: ratio(results[plugin].latency.p50, results[other].latency.p50),
      callsPerSecond: ratio(results[plugin].callsPerSecond, results[other].callsPerSecond),
    }));
};

const verdict = (met) => (met === null ? 'not measured' : met ? 'met' : 'missed');

/** Issue 10's targets that this run measures, each with the measured value. */
/** `concurrency`: the clients of the run's concurrent phase (the calls/s targets are set at 16). */
export const compareTargets = (results, heap, concurrency = 16) => {
  const clients = `${concurrency} clients${concurrency === 16 ? '' : ', the target is at 16'}`;
  const find = results['plugin-find_documents-2025'];
  const floor = results['bare-sdk'];
  const targets = [];
  for (const [id, revision] of [
    ['plugin-find_documents-2025', '2025-11-25'],
    ['plugin-find_documents-2026', '2026-07-28'],
  ]) {
    const value = ratio(results[id]?.latency.p50, floor?.latency.p50);
    targets.push({
      target: `find_documents p50 ≤ 1.5× the bare SDK floor (${revision})`,
      measured: times(value),
      met: value === null ? null : value <= 1.5,
    });
  }
  for (const [id, other, what] of [
    ['plugin-find_documents-2025', 'built-in-list', 'find_documents ≥ 20× built-in list_article'],
    ['plugin-get_document-2025', 'built-in-get', 'get_document ≥ 20× built-in get_article'],
  ]) {
    const value = ratio(results[id]?.callsPerSecond, results[other]?.callsPerSecond);
    targets.push({
      target: `calls/s, ${clients}: ${what}`,
      measured: times(value),
      met: value === null ? null : value >= 20,
    });
  }
  const rest = ratio(find?.callsPerSecond, results['rest-list']?.callsPerSecond);
  targets.push({
    target: `calls/s, ${clients}: find_documents ≥ REST`,
    measured: times(rest),
    met: rest === null ? null : rest >= 1,
  });
  const plugin = heap?.plugin;
  targets.push({
    target: '≤ 50 KB heap per idle session (2025-11-25)',
    measured: plugin ? `${number(plugin.perSessionKB)} KB` : null,
    met: plugin ? plugin.perSessionKB <= 50 : null,
  });
  targets.push({
    target: 'all of it returned when the sessions close',
    measured: plugin?.returnedPercent === null || !plugin ? null : `${number(plugin.returnedPercent, 0)} %`,
    met: plugin?.returnedPercent === null || !plugin ? null : plugin.returnedPercent >= 95,
  });
  return targets.map((entry) => ({ ...entry, verdict: verdict(entry.met) }));
};

const describeSetup = ({ database, machine }) =>
  `${database.version}, ${machine.cores} × ${machine.cpu}, Node ${machine.node}, load average ${machine.loadAverageAtStart[0]} at the start`;

/** Whether every list call returned the floor's documents (the same page of the same tenant). */
const describeListedRows = ({ contenders, results }) => {
  const lists = contenders.filter(({ id }) => results[id].documents !== undefined);
  const differing = lists.filter(({ id }) => !results[id].sameDocumentsAsFloor);
  if (differing.length === 0)
    return `Every list call returned the same ${results[lists[0]?.id]?.documents ?? 0} documents as the floor.`;
  return `List calls that returned other documents than the floor: ${differing
    .map(({ id, label }) => `${label} (${results[id].documents})`)
    .join('; ')}.`;
};

export const formatCompare = (report) => {
  const { results, heap, settings, dataset } = report;
  const rows = report.contenders.map(({ id, label }) => {
    const result = results[id];
    return [
      label,
      number(result.latency.p50, 2),
      number(result.latency.p95, 2),
      number(result.latency.p99, 2),
      number(result.callsPerSecond),
      number(result.cpuPerCallMs, 2),
      result.bytes === undefined ? null : result.bytes.toLocaleString('en-US'),
    ];
  });
  const heapRows = Object.entries(heap ?? {}).map(([name, entry]) => [
    name === 'plugin' ? 'plugin (2025-11-25 sessions)' : 'bare SDK McpServer',
    entry.sessions.toLocaleString('en-US'),
    number(entry.perSessionKB),
    number(entry.heldAfterClosePerSessionKB),
    entry.returnedPercent === null ? null : `${number(entry.returnedPercent, 0)} %`,
  ]);
  return [
    `## ${dataset.articles.toLocaleString('en-US')} articles, ${describeSetup(report)}`,
    '',
    `${settings.rounds} round${settings.rounds === 1 ? '' : 's'} after a warm-up; per contender and round ${settings.sequentialMs} ms of sequential calls (one client), then ${settings.concurrentMs} ms with ${settings.concurrency} clients.`,
    '',
    table(
      [
        'contender',
        'p50 ms',
        'p95 ms',
        'p99 ms',
        `calls/s (${settings.concurrency} clients)`,
        'server CPU ms/call',
        'bytes/response',
      ],
      rows,
    ),
    '',
    describeListedRows(report),
    '',
    'Ratios (plugin ÷ other; p50 below 1 and calls/s above 1 favour the plugin):',
    '',
    table(
      ['ratio', 'p50', 'calls/s'],
      compareRatios(results).map((entry) => [entry.label, times(entry.p50), times(entry.callsPerSecond)]),
    ),
    '',
    ...(heapRows.length
      ? [
          'Heap per idle session:',
          '',
          table(['server', 'sessions', 'KB per open session', 'KB per session left after close', 'returned'], heapRows),
          '',
        ]
      : ['Heap per idle session: not measured (needs --expose-gc).', '']),
    'Targets (issue 10):',
    '',
    table(
      ['target', 'measured', 'verdict'],
      compareTargets(results, heap, settings.concurrency).map((entry) => [entry.target, entry.measured, entry.verdict]),
    ),
  ].join('\n');
};

/** Issue 10's growth targets, on the variant with indexes when there is one (the targets assume them). */
export const growthTargets = ({ sizes, variants }) => {
  const variant = variants[variants.length - 1];
  const first = sizes[0];
  const last = sizes[sizes.length - 1];
  const grown = sizes.length > 1 ? ['find_documents', 'count_documents', 'search_documents'] : [];
  const rows = grown.map((id) => {
    const value = ratio(variant.p50[last]?.[id], variant.p50[first]?.[id]);
    return [
      `${id} p50 at ${last.toLocaleString('en-US')} within 2× of ${first.toLocaleString('en-US')} (${variant.name})`,
      times(value),
      verdict(value === null ? null : value <= 2),
    ];
  });
  const search = variant.p50[last]?.search_documents;
  rows.push([
    `search_documents p50 ≤ 50 ms at ${last.toLocaleString('en-US')} (${variant.name})`,
    search === undefined ? null : `${number(search, 2)} ms`,
    verdict(search === undefined ? null : search <= 50),
  ]);
  return rows;
};

export const formatGrowth = (report) => {
  const { sizes, variants, tools } = report.growth;
  const blocks = [];
  for (const variant of variants) {
    const first = sizes[0];
    const last = sizes[sizes.length - 1];
    const rows = tools.map(({ id, label }) => {
      const base = variant.p50[first]?.[id];
      return [
        label,
        ...sizes.map((size) => {
          const value = variant.p50[size]?.[id];
          return value === undefined ? null : `${number(value, 2)} (${times(ratio(value, base))})`;
        }),
        times(ratio(variant.p50[last]?.[id], base)),
      ];
    });
    blocks.push(
      `### ${variant.name}`,
      '',
      table(
        [
          'p50 ms (× the first size)',
          ...sizes.map((size) => `${size.toLocaleString('en-US')} articles`),
          `${last.toLocaleString('en-US')} ÷ ${first.toLocaleString('en-US')}`,
        ],
        rows,
      ),
      '',
    );
  }
  if (report.growth.indexes) blocks.push(`Indexes: ${report.growth.indexes}`, '');
  blocks.push('Targets (issue 10):', '', table(['target', 'measured', 'verdict'], growthTargets(report.growth)), '');
  return [
    `## Growth: ${describeSetup(report)}`,
    '',
    `Plugin tools on one 2025-11-25 session, sequential; ${report.settings.growthRounds} rounds of ${report.settings.growthSequentialMs} ms per tool at each size.`,
    '',
    ...blocks,
  ].join('\n');
};
