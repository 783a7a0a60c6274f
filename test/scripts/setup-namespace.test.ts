import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const SCRIPT = path.resolve(__dirname, '..', '..', 'ops', 'temporal', 'setup-namespace.sh');

/**
 * A `temporal` CLI standing in for a server: healthy, the namespace there, `search-attribute list` printing the table
 * the CLI prints from the file `list`, `create` adding a row or failing with FAKE_CREATE_ERROR.
 */
const FAKE_CLI = `#!/bin/sh
dir=$(dirname "$0")
case "$2 $3" in
  "cluster health") echo "SERVING" ;;
  "namespace describe") exit 0 ;;
  "search-attribute list") printf '                  Name                     Type    \\n'; cat "$dir/list" ;;
  "search-attribute create")
    echo "$*" >> "$dir/created"
    if [ -n "\${FAKE_CREATE_ERROR:-}" ]; then echo "Error: $FAKE_CREATE_ERROR" >&2; exit 1; fi
    shift 3
    while [ $# -gt 0 ]; do case "$1" in --name) name=$2 ;; --type) type=$2 ;; esac; shift; done
    printf '  %-36s  %-11s\\n' "$name" "$type" >> "$dir/list" ;;
  *) echo "unexpected: $*" >&2; exit 2 ;;
esac
`;

function run(list: string[], args: string[], env: Record<string, string> = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'setup-namespace-'));
  try {
    writeFileSync(path.join(dir, 'temporal'), FAKE_CLI);
    chmodSync(path.join(dir, 'temporal'), 0o755);
    writeFileSync(path.join(dir, 'list'), list.map((row) => `  ${row}\n`).join(''));
    const r = spawnSync('sh', [SCRIPT, 'default', '24h', ...args], {
      encoding: 'utf8', timeout: 20000, env: { ...process.env, PATH: `${dir}${path.delimiter}${process.env.PATH}`, ...env },
    });
    const created = (() => {
      try {
        return readFileSync(path.join(dir, 'created'), 'utf8').trim().split('\n');
      } catch {
        return [];
      }
    })();
    return { status: r.status, stderr: r.stderr, created };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('ops/temporal/setup-namespace.sh', () => {
  it('creates the search attributes that are missing and leaves those of the same type as they are', () => {
    const r = run(['CompanyId                             Keyword    '], ['CompanyId=Keyword', 'InvoiceId=Keyword']);
    expect(r.status).toBe(0);
    expect(r.created).toEqual(['operator search-attribute create --namespace default --name InvoiceId --type Keyword']);
  });

  it('fails, naming both types, when a search attribute exists with another type', () => {
    const r = run(['CompanyIdOld                          Keyword    ', 'CompanyId                             Int        '], ['CompanyId=Keyword']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('search attribute CompanyId exists with type Int, not Keyword');
    expect(r.created).toEqual([]);
  });

  it('gives up after SETUP_NAMESPACE_TRIES failed creations, printing the last error', () => {
    const r = run([], ['CompanyId=Keyword'], { FAKE_CREATE_ERROR: 'namespace default is not found', SETUP_NAMESPACE_TRIES: '3' });
    expect(r.status).toBe(1);
    expect(r.created).toHaveLength(3);
    expect(r.stderr).toContain('could not create search attribute CompanyId (Keyword) after 3 tries: Error: namespace default is not found');
  });
});
