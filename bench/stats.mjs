/** Latency summaries: nearest-rank percentiles of all samples, in milliseconds. */
const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

const round2 = (value) => Math.round(value * 100) / 100;

export const summarize = (samples) => {
  if (samples.length === 0) return { samples: 0, p50: null, p95: null, p99: null, mean: null };
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    samples: sorted.length,
    p50: round2(percentile(sorted, 50)),
    p95: round2(percentile(sorted, 95)),
    p99: round2(percentile(sorted, 99)),
    mean: round2(sorted.reduce((sum, value) => sum + value, 0) / sorted.length),
  };
};

export { round2 };
