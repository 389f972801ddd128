/**
 * The results as JSON: bench/results/<timestamp>.json and bench/results/latest.json (growth runs:
 * growth-<timestamp>.json and latest-growth.json; all git-ignored), with the machine,
 * the commit measured, the database and the settings, so figures are never quoted without what they were measured on.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const RESULTS_DIR = path.join(HERE, 'results');

const git = (...args) => {
  try {
    return execFileSync('git', args, { cwd: HERE, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
};

export const describeMachine = () => {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    availableParallelism: os.availableParallelism?.() ?? cpus.length,
    memoryGB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()} (${os.platform()}/${os.arch()})`,
    loadAverageAtStart: os.loadavg().map((value) => Math.round(value * 100) / 100),
  };
};

export const describeRevision = () => ({
  commit: git('rev-parse', '--short', 'HEAD'),
  branch: git('rev-parse', '--abbrev-ref', 'HEAD'),
  uncommittedChanges: git('status', '--porcelain') ? true : false,
});

/** Writes the report; returns the path of the timestamped file. */
export const writeResults = (report) => {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const stamp = report.date.replace(/[:.]/g, '-');
  const growth = report.mode === 'growth';
  const file = path.join(RESULTS_DIR, growth ? `growth-${stamp}.json` : `${stamp}.json`);
  const text = `${JSON.stringify(report, null, 2)}\n`;
  fs.writeFileSync(file, text);
  fs.writeFileSync(path.join(RESULTS_DIR, growth ? 'latest-growth.json' : 'latest.json'), text);
  return path.relative(process.cwd(), file);
};
