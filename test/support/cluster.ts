/** What `npm run test:cluster` (scripts/test-cluster.js) hands its suites: the two APIs and a way to kill and start targets. */
export function clusterEnv() {
  const need = (name: string): string => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set: run these suites with \`npm run test:cluster\`, which starts the cluster`);
    return value;
  };
  const controlUrl = need('RELANCE_CLUSTER_CONTROL_URL');
  const token = need('RELANCE_CLUSTER_CONTROL_TOKEN');
  const control = async (action: 'kill' | 'start', target: string): Promise<number> => {
    const res = await fetch(`${controlUrl}/${action}/${target}`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    const body = (await res.json().catch(() => ({}))) as { ms?: number; error?: string };
    if (res.status !== 200) throw new Error(`${action} ${target}: ${res.status} ${body.error ?? ''}`);
    return body.ms ?? 0;
  };
  return {
    apiUrls: need('RELANCE_CLUSTER_API_URLS').split(','),
    metricsUrl: need('TEMPORAL_METRICS_URL'),
    kill: (target: string) => control('kill', target),
    start: (target: string) => control('start', target),
  };
}
