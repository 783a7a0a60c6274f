'use strict';
// `npm run test:chaos`: a seeded soak on the cluster (two APIs, two workers, a Temporal server, PostgreSQL). A calm
// phase, then CHAOS_MINUTES of chaos in which a random target is killed (SIGKILL) at random moments and started again
// after a random pause, while approvals are decided through both APIs, sweeps of thousands of reminders fire and
// webhooks deliver. Then everything is brought up, every run is waited for, and the promises are checked.
const fs = require('node:fs');
const path = require('node:path');
const { randomInt } = require('node:crypto');
const { Pool } = require('pg');
const { step, fail } = require('./lib/log');
const provision = require('./lib/provision');
const { runToCompletion } = require('./lib/session');
const { chooser, rng, kindOf, killSchedule, killsPerKind, percentile } = require('./lib/chaos/plan');
const { ChaosClient } = require('./lib/chaos/client');
const { startWebhookReceiver } = require('./lib/chaos/receiver');
const { Workload, persist } = require('./lib/chaos/workload');
const { checkApprovals, checkSweeps, checkEmails, checkWebhooks, checkWorkflows } = require('./lib/chaos/invariants');
const { startCluster } = require('./lib/cluster');

const num = (name, fallback) => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) fail(`${name} must be a non-negative number (got ${JSON.stringify(raw)})`);
  return n;
};

const say = (m) => process.stdout.write(`[chaos] ${m}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const secs = (ms) => (ms === null || ms === undefined ? 'n/a' : `${(ms / 1000).toFixed(1)} s`);

async function main({ onStop }) {
  const started = Date.now();
  const seed = num('CHAOS_SEED', randomInt(1, 2 ** 31));
  const minutes = num('CHAOS_MINUTES', 10);
  const calmMs = num('CHAOS_CALM_SECONDS', 60) * 1000;
  const sweepSize = num('CHAOS_SWEEP_SIZE', 2000);
  const sweepEveryMs = num('CHAOS_SWEEP_EVERY_SECONDS', 120) * 1000;
  const lanes = num('CHAOS_LANES', 4);
  const quiesceMs = num('CHAOS_QUIESCE_SECONDS', 600) * 1000;
  say(`seed ${seed} (CHAOS_SEED=${seed} replays this run's kill schedule and workload choices); ${minutes} min of chaos after ${calmMs / 1000} s calm`);

  provision.ensureDependencies();
  provision.ensureTemporalBinaries();
  provision.build();

  const cluster = await startCluster({
    name: 'chaos', apis: 2, workers: 2, log: step,
    env: {
      // The receiver listens on 127.0.0.1; every company signs up from it; a failed webhook attempt is retried soon.
      RELANCE_WEBHOOK_ALLOW_PRIVATE: 'true', RELANCE_SIGNUP_RATE: '1000000', RELANCE_DECISION_RATE: '1000000',
      RELANCE_WEBHOOK_RETRY_INITIAL_MS: '1000', RELANCE_WEBHOOK_RETRY_MAX_MS: '5000',
    },
  });
  onStop(() => cluster.stop());
  const setUpAt = Date.now();
  step(`cluster up in ${secs(setUpAt - started)} (${cluster.targets().join(', ')})`);

  const receiver = await startWebhookReceiver();
  onStop(() => receiver.stop());
  const db = new Pool({ connectionString: cluster.env.DATABASE_URL, max: 4 });
  db.on('error', () => undefined); // an idle connection lost with a killed PostgreSQL: the next query reconnects
  onStop(() => db.end());
  const { Connection, Client } = require('@temporalio/client');
  const connection = await Connection.connect({ address: cluster.env.TEMPORAL_ADDRESS });
  onStop(() => connection.close());
  const temporal = new Client({ connection, namespace: cluster.env.TEMPORAL_NAMESPACE ?? 'default' });

  // Past two Idempotency-Key claim leases (2 minutes each): a request whose API died holding its key, twice, gets its answer.
  const client = new ChaosClient(cluster.apiUrls, { deadlineMs: 300_000 });
  const workload = new Workload({ client, db, temporal, c: chooser(rng(seed)), receiver, sweepSize, log: (m) => say(m) });
  await workload.setUp();

  // Phases.
  const calm = { from: Date.now() };
  calm.to = calm.from + calmMs;
  const chaos = { from: calm.to, to: calm.to + minutes * 60_000 };
  const phaseOf = () => (Date.now() < calm.to ? 'calm' : 'chaos');
  say(`calm phase: ${calmMs / 1000} s, ${lanes} integrators deciding approvals, a sweep of ${sweepSize} every ${sweepEveryMs / 1000} s`);
  const probes = workload.runProbes(500);
  const approvals = workload.runApprovals(lanes, phaseOf);
  const sweeps = workload.runSweeps(sweepEveryMs, phaseOf);
  await sleep(Math.max(0, calm.to - Date.now()));

  // Chaos.
  const schedule = killSchedule({ seed, minutes, targets: cluster.targets() });
  say(`chaos phase: ${minutes} min; kill schedule (first ${killsPerKind(minutes) * 4} promised): ` +
    schedule.slice(0, 30).map((k) => `${k.target}+${(k.gapMs / 1000).toFixed(0)}s/${(k.downMs / 1000).toFixed(0)}s`).join(' ') +
    ' (target+wait before the kill/time down)');
  const kills = [];
  const promised = killsPerKind(minutes) * new Set(cluster.targets().map(kindOf)).size;
  for (const [i, k] of schedule.entries()) {
    // The promised kills all happen, on a slow machine after the phase's time if need be; the others within it.
    if (i >= promised && Date.now() + k.gapMs >= chaos.to) break;
    await sleep(k.gapMs);
    const record = { target: k.target, kind: kindOf(k.target), killedAt: Date.now() };
    await cluster.kill(k.target);
    say(`${new Date(record.killedAt).toISOString()} killed ${k.target} (down ${(k.downMs / 1000).toFixed(0)} s)`);
    await sleep(k.downMs);
    record.restartedAt = Date.now();
    for (let attempt = 1; ; attempt += 1) {
      try {
        await cluster.start(k.target);
        break;
      } catch (err) {
        say(`starting ${k.target} again failed (${err.message})${attempt < 5 ? '; trying again' : ''}`);
        if (attempt >= 5) throw err;
        await sleep(2000);
      }
    }
    record.upAt = Date.now();
    kills.push(record);
  }
  await sleep(Math.max(0, chaos.to - Date.now()));
  chaos.to = Date.now();

  // Quiesce: no new work, every answer in, every run ended.
  say('quiescing: the workload stops, every run is waited for');
  workload.stop();
  await Promise.all([approvals, sweeps]);
  const quiesceUntil = Date.now() + quiesceMs;
  const sweepCompanies = workload.sweeps.filter((s) => s.companyId).map((s) => s.companyId);
  const approvalCompanies = workload.approvalCompanies.map((co) => co.companyId);
  const q = (text, params) => persist('a query', () => db.query(text, params).then((r) => r.rows));
  const firedDefinitions = workload.sweeps.filter((s) => s.definitionId && !s.error).map((s) => s.definitionId);
  const openRuns = async () => {
    const running = await q(`SELECT count(*)::int AS n FROM workflow_runs WHERE definition_id = ANY($1) AND status = 'running'`, [firedDefinitions]);
    const withRun = await q('SELECT count(DISTINCT definition_id)::int AS n FROM workflow_runs WHERE definition_id = ANY($1)', [firedDefinitions]);
    const undelivered = await q(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE company_id = ANY($1) AND status <> 'delivered'`, [approvalCompanies]);
    let open = 0;
    for await (const w of temporal.workflow.list({ query: 'ExecutionStatus="Running"' })) if (w) open += 1;
    return { sweepsRunning: running[0].n, sweepsWithoutRun: firedDefinitions.length - withRun[0].n, webhooksUndelivered: undelivered[0].n, open };
  };
  let left;
  for (;;) {
    left = await persist('counting open work', openRuns);
    if (!left.sweepsRunning && !left.sweepsWithoutRun && !left.webhooksUndelivered && !left.open) break;
    if (Date.now() > quiesceUntil) {
      say(`quiesce deadline (${quiesceMs / 1000} s) passed with work open: ${JSON.stringify(left)}`);
      break;
    }
    await sleep(2000);
  }
  workload.stopProbes();
  await probes;
  const quiescedIn = Date.now() - chaos.to;
  say(`quiesced in ${secs(quiescedIn)}`);

  // Gather.
  const emailsByKey = new Map();
  const mails = await (await fetch(`${cluster.env.MAIL_CATCHER_URL}/api/messages`)).json();
  for (const m of mails) {
    const key = m.headerLines?.['x-relance-delivery'] ?? '';
    const e = emailsByKey.get(key) ?? { count: 0, messageIds: new Set() };
    e.count += 1;
    e.messageIds.add(m.headerLines?.['message-id'] ?? '');
    emailsByKey.set(key, e);
  }
  const approvalRows = new Map((await q(
    // A submission the API undid (Temporal did not start its run: a 503 "nothing was submitted") stays as a cancelled
    // approval without a decision; the retry is the next submission.
    `SELECT i.number, count(DISTINCT i.id)::int AS invoices,
            count(DISTINCT a.id) FILTER (WHERE a.status <> 'cancelled' OR d.id IS NOT NULL)::int AS submissions,
            coalesce(array_agg(DISTINCT a.workflow_id) FILTER (WHERE a.status = 'cancelled' AND d.id IS NULL), '{}') AS undone,
            coalesce(array_agg(d.decision ORDER BY d.decided_at) FILTER (WHERE d.id IS NOT NULL), '{}') AS decisions,
            max(i.approval_status) AS status
       FROM invoices i LEFT JOIN approvals a ON a.invoice_id = i.id LEFT JOIN approval_decisions d ON d.approval_id = a.id
      WHERE i.company_id = ANY($1) GROUP BY i.number`, [approvalCompanies])).map((r) => [r.number, r]));
  for (const s of workload.sweeps) {
    s.runs = s.definitionId ? await q('SELECT status, matched, delivered, failed FROM workflow_runs WHERE definition_id = $1', [s.definitionId]) : [];
    s.deliveries = s.definitionId
      ? (await q('SELECT delivery_key AS key, status, error FROM deliveries WHERE definition_id = $1', [s.definitionId]))
      : [];
  }
  const events = await q(
    `SELECT e.id, e.type, e.data->>'invoiceId' AS "invoiceId",
            coalesce(array_agg(wd.status) FILTER (WHERE wd.id IS NOT NULL), '{}') AS deliveries
       FROM webhook_events e LEFT JOIN webhook_deliveries wd ON wd.event_id = e.id
      WHERE e.company_id = ANY($1) GROUP BY e.id`, [approvalCompanies]);
  // An undone submission's run must not exist: the API answered that nothing was submitted.
  const undoneRuns = [];
  for (const r of approvalRows.values()) {
    for (const workflowId of r.undone) {
      const run = await persist('describing an undone submission\'s run', () => temporal.workflow.getHandle(workflowId).describe()
        .catch((err) => (err.name === 'WorkflowNotFoundError' ? null : Promise.reject(err))));
      if (run) undoneRuns.push(`submission ${workflowId} was undone (answered 503) but its run exists (${run.status.name})`);
    }
  }
  const list = async (query) => {
    const out = [];
    for await (const w of temporal.workflow.list({ query })) out.push({ workflowId: w.workflowId, type: w.type, status: w.status.name });
    return out;
  };
  const open = await list('ExecutionStatus="Running"');
  const closedBadly = await list('ExecutionStatus="Failed" OR ExecutionStatus="TimedOut" OR ExecutionStatus="Terminated" OR ExecutionStatus="Canceled"');
  const badRuns = await q(`SELECT temporal_workflow_id, status FROM workflow_runs WHERE company_id = ANY($1) AND status <> 'completed'`,
    [[...approvalCompanies, ...sweepCompanies]]);

  // Check.
  const decidedIds = workload.approvals.filter((o) => ['approved', 'rejected'].includes(approvalRows.get(o.number)?.status)).map((o) => o.invoiceId);
  const emails = checkEmails(emailsByKey);
  const webhooks = checkWebhooks(events, receiver.byEvent, decidedIds);
  const violations = [
    ...checkApprovals(workload.approvals, approvalRows),
    ...checkSweeps(workload.sweeps, emailsByKey),
    ...emails.violations,
    ...webhooks.violations,
    ...checkWorkflows(open, closedBadly, badRuns),
    ...undoneRuns,
  ];
  // A fault is a 503 to retry; a 500 is the product's own failure.
  for (const [k, n] of client.stats.answers) if (/\s500$/.test(k)) violations.push(`${n} answers 500 from ${k.split(' ')[0]}`);
  const minimum = killsPerKind(minutes);
  for (const kind of [...new Set(cluster.targets().map(kindOf))]) {
    const n = kills.filter((k) => k.kind === kind).length;
    if (n < minimum) violations.push(`only ${n} kill(s) of ${kind} (at least ${minimum} promised for ${minutes} min)`);
  }
  // Nothing passes for having been checked over nothing.
  if (!workload.approvals.some((o) => o.steps.decide?.status === 200)) violations.push('no approval was decided: the approval checks held over nothing');
  if (workload.sweeps.length === 0) violations.push('no sweep fired: the reminder checks held over nothing');
  if (events.length === 0) violations.push('no webhook event was recorded: the webhook checks held over nothing');

  // Report.
  const apiOf = (target) => cluster.apiUrls[Number(target.split('-')[1]) - 1];
  for (const k of kills) {
    const first = workload.probes.filter((p) => p.ok && p.sentAt >= k.restartedAt && (k.kind !== 'api' || p.api === apiOf(k.target)))
      .sort((a, b) => a.doneAt - b.doneAt)[0];
    k.recoveryMs = first ? first.doneAt - k.restartedAt : null;
    // A target that came back yet never served again (an API answering 503 to everything) is not a recovery.
    if (k.recoveryMs === null) violations.push(`${k.target}, killed at ${new Date(k.killedAt).toISOString()}, never served a round trip after its restart`);
  }
  const inPhase = (p, at) => at >= p.from && at < p.to;
  const decidedIn = (p) => workload.approvals.filter((o) => o.steps.decide?.status === 200 && inPhase(p, o.endedAt)).length;
  const deliveredIn = async (p) => (await q(
    `SELECT count(*)::int AS n FROM deliveries WHERE company_id = ANY($1) AND status = 'sent' AND sent_at >= $2 AND sent_at < $3`,
    [sweepCompanies, new Date(p.from), new Date(p.to)]))[0].n;
  const rate = (n, p) => (n / ((p.to - p.from) / 1000)).toFixed(2);
  const calmDelivered = await deliveredIn(calm);
  const chaosDelivered = await deliveredIn(chaos);
  const fivexx = [...client.stats.answers].filter(([k]) => /\s(5\d\d|connection)$/.test(k)).sort();

  say('─'.repeat(100));
  say(`seed ${seed}; ${minutes} min chaos after ${calmMs / 1000} s calm; set-up ${secs(setUpAt - started)}, total ${secs(Date.now() - started)}`);
  say(`kills by target: ${cluster.targets().map((t) => `${t} ${kills.filter((k) => k.target === t).length}`).join(', ')} (${kills.length} in all)`);
  say('recovery time: from the moment a killed target is started again to the first successful diagnostic round trip ' +
    '(API -> Temporal -> worker -> PostgreSQL -> API) sent after that moment, through that API for an API, through either API otherwise');
  for (const kind of [...new Set(cluster.targets().map(kindOf))]) {
    const ofKind = kills.filter((k) => k.kind === kind);
    const times = ofKind.map((k) => k.recoveryMs).filter((v) => v !== null);
    const starts = ofKind.map((k) => k.upAt - k.restartedAt);
    say(`  ${kind.padEnd(9)} recovery p50 ${secs(percentile(times, 50))}, p99 ${secs(percentile(times, 99))} (${times.length} of ${ofKind.length} kills recovered); ` +
      `process start p50 ${secs(percentile(starts, 50))}`);
  }
  say(`throughput calm:  ${rate(decidedIn(calm), calm)} approvals/s, ${rate(calmDelivered, calm)} reminder deliveries/s`);
  say(`throughput chaos: ${rate(decidedIn(chaos), chaos)} approvals/s, ${rate(chaosDelivered, chaos)} reminder deliveries/s`);
  const undone = [...approvalRows.values()].reduce((n, r) => n + r.undone.length, 0);
  say(`work: ${workload.approvals.length} approvals (${decidedIds.length} decided, ${undone} submissions undone by the API and retried), ` +
    `${workload.sweeps.length} sweeps ` +
    `(${workload.sweeps.reduce((n, s) => n + s.deliveries.length, 0)} reminders, ` +
    `${workload.sweeps.reduce((n, s) => n + s.deliveries.filter((d) => d.status === 'pending').length, 0)} in doubt), ` +
    `${events.length} webhook events (${webhooks.repeats} received again, same id), ${mails.length} emails ` +
    `(${emails.allowedRepeats} team notices again with the same Message-ID)`);
  const probesFailed = workload.probes.filter((p) => !p.ok).length;
  say(`probes: ${workload.probes.length} diagnostic round trips, ${probesFailed} failed; ` +
    `${closedBadly.filter((w) => w.type === 'diagnosticRoundtrip').length} of their workflows gave up (5 attempts or their deadline)`);
  say(`client: ${client.stats.retries} retries, ${client.stats.gaveUp} gave up; 5xx and connection errors answered: ` +
    `${fivexx.map(([k, n]) => `${k.replace(/^http:\/\/127\.0\.0\.1:/, ':')} ${n}`).join(', ') || 'none'}`);
  const named = workload.approvals.filter((o) => violations.some((v) => v.includes(o.number)));
  const report = {
    seed, minutes, calmMs, kills, violations, left, quiescedIn, answers: Object.fromEntries(client.stats.answers),
    approvals: named.map((o) => ({ ...o, rows: approvalRows.get(o.number) })),
  };
  fs.writeFileSync(path.join(provision.DATA, 'chaos-report.json'), JSON.stringify(report, null, 2));
  if (violations.length) {
    say(`FAIL: ${violations.length} invariant(s) violated (seed ${seed}):`);
    for (const v of violations.slice(0, 50)) say(`  - ${v}`);
    if (violations.length > 50) say(`  ... and ${violations.length - 50} more (.data/chaos-report.json)`);
    say(`the cluster's data and logs stay in ${path.relative(provision.ROOT, cluster.logDir)}/.. until the next run`);
    return 1;
  }
  say(`PASS (seed ${seed})`);
  return 0;
}

runToCompletion('run the chaos soak', main);
