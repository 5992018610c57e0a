import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { joinDecisions } from '../../learning/ope-log.js';
import { loadOpePolicy } from '../../learning/ope-policy.js';
import { filterLog, readDecisionLog } from '../../learning/ope-source.js';
import { readDecisionLogFromDb } from '../read-decision-log.js';
import { evaluateOffPolicy, type OpeReport } from '../../learning/ope.js';

interface OpeOptions { policy: string; log?: string; route?: string; tenant?: string; from?: string; to?: string; metric?: string; out?: string }

/** A time bound: ms since epoch or an ISO date. */
const parseTime = (raw: string | undefined, field: string): number | undefined => {
  if (raw === undefined) return undefined;
  const t = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (!Number.isFinite(t)) throw new Error(`${field}: expected an ISO date or ms since epoch, got '${raw}'`);
  return t;
};

const print = (r: OpeReport): void => {
  const f = (v: number | null | undefined, digits = 4): string => (v === null || v === undefined ? '—' : v.toFixed(digits));
  const usd = (v: number): string => `$${v.toFixed(6)}`;
  console.log(`${r.decisions} decisions, ${r.withFeedback} with feedback; effective sample size ${r.effectiveSampleSize.toFixed(1)}; candidate agrees with the log on ${(100 * r.matchRate).toFixed(1)}%`);
  console.log('| estimator | quality | cost per request |');
  console.log('|---|---:|---:|');
  console.log(`| logged policy (observed) | ${f(r.logged.quality)} | ${usd(r.logged.costUsd)} |`);
  for (const k of ['ips', 'snips', 'dr'] as const) console.log(`| candidate, ${k.toUpperCase()} | ${f(r.quality?.[k])} | ${usd(r.costUsd[k])} |`);
  for (const w of r.warnings) console.log(`warning: ${w}`);
};

/** `switchyard ope`: estimate a candidate policy's quality and cost from the decision log before it serves. */
export const registerOpeCommand = (program: Command): void => {
  const cmd = program
    .command('ope')
    .description("off-policy evaluation: a candidate policy's quality and cost estimated from logged decisions (propensities, contexts), feedback and ledger cost — IPS, self-normalised IPS, doubly robust")
    .requiredOption('--policy <file>', 'candidate policy: {"kind":"fixed","target":…} | {"kind":"table","probabilities":{…}} | {"kind":"linear","arms":{target: weights},"epsilon":…}')
    .option('--log <file>', 'decision log as JSONL ({"decision": …} / {"feedback": …} lines)')
    .option('--route <name>', 'only decisions of this route')
    .option('--tenant <id>', 'only decisions of this tenant')
    .option('--from <time>', 'ISO date or ms since epoch (inclusive)')
    .option('--to <time>', 'ISO date or ms since epoch (exclusive)')
    .option('--metric <name>', 'feedback metric that measures quality (default: any)')
    .option('--db <path|url>', 'the ledger database holding the decision log: a SQLite path (e.g. ./switchyard.db) or a postgres:// URL')
    .option('--out <file>', 'write the report as JSON');
  cmd.action(async (o: OpeOptions & { db?: string }) => {
    const from = parseTime(o.from, '--from');
    const to = parseTime(o.to, '--to');
    if ((o.log === undefined) === (o.db === undefined)) throw new Error('give exactly one source: --db PATH|URL or --log FILE');
    const policy = await loadOpePolicy(o.policy);
    const filter = { route: o.route, tenant: o.tenant, from, to };
    const log = filterLog(o.log !== undefined ? await readDecisionLog(o.log) : await readDecisionLogFromDb(o.db ?? '', filter), filter);
    if (log.decisions.length === 0) throw new Error('no logged decisions match (check --route, --tenant, --from, --to)');
    const report = evaluateOffPolicy(joinDecisions(log.decisions, log.feedback, { metric: o.metric }), policy);
    print(report);
    if (o.out) await writeFile(o.out, JSON.stringify(report, null, 2));
  });
};
